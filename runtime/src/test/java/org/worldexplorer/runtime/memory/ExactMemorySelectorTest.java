package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactMemorySelectorTest {

  private final ExactMemorySelector upstream8b = new ExactMemorySelector(MemoryConfig.upstream8b());
  private final ExactMemorySelector upstream5b = new ExactMemorySelector(MemoryConfig.upstream5b());

  @Test
  void shortHistoryUsesEverything() {
    ListCameraHistory history = new ListCameraHistory().repeat(40, 0, 0, 0, 0, 0);
    assertArrayEquals(range(0, 8), select(upstream8b, history, 8, 4));
    assertArrayEquals(range(0, 20), select(upstream8b, history, 20, 4));
    assertArrayEquals(range(0, 12), select(upstream5b, history, 12, 4));
    assertArrayEquals(new int[0], select(upstream8b, history, 0, 4));
  }

  @Test
  void sameViewBeatsOppositeView() {
    // Latents 4..7 look backwards; 8..11 look where the chunk at 24 looks.
    ListCameraHistory history = new ListCameraHistory().repeat(4, 0, 0, 0, 0, 0).repeat(4, 0, 0, 0, 180, 0)
        .repeat(20, 0, 0, 0, 0, 0);
    boolean[] retrieved = new boolean[20];
    int[] out = new int[20];
    int n = upstream8b.select(history, 24, 4, out, retrieved);
    assertArrayEquals(concat(range(0, 4), range(8, 24)), Arrays.copyOf(out, n));
    for (int i = 0; i < n; i++) {
      assertEquals(out[i] >= 8 && out[i] < 12, retrieved[i], "latent " + out[i]);
    }
  }

  @Test
  void tiesGoToTheEarlierChunk() {
    ListCameraHistory history = new ListCameraHistory().repeat(28, 0, 0, 0, 0, 0);
    assertArrayEquals(concat(range(0, 8), range(12, 24)), select(upstream8b, history, 24, 4));
  }

  @Test
  void bothProbeCamerasCount() {
    // Candidate 4: probe 4 identical to the query (sim 1), probe 6 opposite (sim 0): total about 1.0 Q.
    // Candidate 8: both probes turned 20 degrees (sim about 40/60 each): total about 1.33 Q, so it wins.
    ListCameraHistory history = new ListCameraHistory().repeat(4, 0, 0, 0, 0, 0)
        .repeat(2, 0, 0, 0, 0, 0).repeat(2, 0, 0, 0, 180, 0)
        .repeat(4, 0, 0, 0, 20, 0)
        .repeat(12, 50, 0, 0, 0, 0).repeat(4, 0, 0, 0, 0, 0);
    assertArrayEquals(concat(range(0, 4), range(8, 24)), select(upstream8b, history, 24, 4));
  }

  @Test
  void returnsToAPlaceVisitedLongAgo() {
    // Chunk 40 stood at the origin looking +z; everything else is 100 units away. The chunk at 120 comes back.
    ListCameraHistory history = new ListCameraHistory().repeat(40, 100, 0, 0, 0, 0).repeat(4, 0, 0, 0, 0, 0)
        .repeat(76, 100, 0, 0, 0, 0).repeat(4, 0, 0, 0, 0, 0);
    int[] expected = concat(range(0, 4), range(40, 44), range(108, 120));
    assertArrayEquals(expected, select(upstream8b, history, 120, 4));
  }

  @Test
  void noOverlapAnywhereFallsBackToTheEarliestCandidate() {
    ListCameraHistory history = new ListCameraHistory().repeat(120, 100, 0, 0, 0, 0).repeat(4, 0, 0, 0, 0, 0);
    assertArrayEquals(concat(range(0, 8), range(108, 120)), select(upstream8b, history, 120, 4));
    assertArrayEquals(concat(range(0, 4), range(108, 120)), select(upstream5b, history, 120, 4));
  }

  @Test
  void fiveBillionPresetForcesNothingAndMayRetrieveChunkZero() {
    ListCameraHistory history = new ListCameraHistory().repeat(4, 0, 0, 0, 180, 0).repeat(4, 0, 0, 0, 0, 0)
        .repeat(12, 0, 0, 0, 90, 0).repeat(4, 0, 0, 0, 0, 0);
    // c = 16: the only candidate is chunk 0, so 0..15.
    assertArrayEquals(range(0, 16), select(upstream5b, history, 16, 4));
    // c = 20: candidates 0 (opposite) and 4 (same view): 4..7 plus 8..19, 16 latents.
    assertArrayEquals(range(4, 20), select(upstream5b, history, 20, 4));
  }

  @Test
  void longChunkIsTheUnionOfItsSubChunksWithoutItsOwnLatents() {
    // Sub-chunks 24 and 28 of an 8-latent chunk at 24: 0..3 + (4..7 by tie) + 12..23, then 0..3 + 4..7 + 16..27.
    ListCameraHistory history = new ListCameraHistory().repeat(32, 0, 0, 0, 0, 0);
    assertArrayEquals(concat(range(0, 8), range(12, 24)), select(upstream8b, history, 24, 8));
    // A 16-latent chunk at 16: sub-chunks 16 and 20 use all history; 24 and 28 add nothing below 16 beyond it.
    assertArrayEquals(range(0, 16), select(upstream8b, history, 16, 16));
  }

  @Test
  void onlyTheFirstPoseOfTheChunkIsRequired() {
    ListCameraHistory history = new ListCameraHistory().repeat(4, 0, 0, 0, 0, 0).repeat(4, 0, 0, 0, 180, 0)
        .repeat(17, 0, 0, 0, 0, 0);
    assertArrayEquals(concat(range(0, 4), range(8, 24)), select(upstream8b, history, 24, 4));
  }

  @Test
  void rejectsMissingPosesShortOutputAndBadChunks() {
    ListCameraHistory history = new ListCameraHistory().repeat(24, 0, 0, 0, 0, 0);
    assertThrows(IllegalArgumentException.class, () -> upstream8b.select(history, 24, 4, new int[20]));
    ListCameraHistory longer = new ListCameraHistory().repeat(28, 0, 0, 0, 0, 0);
    assertThrows(IllegalArgumentException.class, () -> upstream8b.select(longer, 24, 4, new int[19]));
    assertThrows(IllegalArgumentException.class, () -> upstream8b.select(longer, 24, 3, new int[20]));
    assertThrows(IllegalArgumentException.class, () -> upstream8b.select(longer, -4, 4, new int[20]));
  }

  static int[] select(MemorySelector selector, CameraHistory history, int chunkStart, int chunkLength) {
    int[] out = new int[selector.config().maxSelected(chunkLength)];
    return Arrays.copyOf(out, selector.select(history, chunkStart, chunkLength, out));
  }

  static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }

  private static void assertEquals(boolean expected, boolean actual, String message) {
    org.junit.jupiter.api.Assertions.assertEquals(expected, actual, message);
  }
}
