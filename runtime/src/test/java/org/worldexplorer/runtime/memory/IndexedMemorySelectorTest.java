package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IndexedMemorySelectorTest {

  @Test
  void agreesWithExactOnADenseWalkWithRevisits8b() {
    ListCameraHistory walk = RandomWalk.walk(3000, 11, 0.08f, 10f);
    assertAgreement(MemoryConfig.upstream8b(), walk, 4);
  }

  @Test
  void agreesWithExactOnAWideWalkWithReturns5b() {
    ListCameraHistory walk = RandomWalk.walk(2400, 23, 0.2f, 0f);
    assertAgreement(MemoryConfig.upstream5b(), walk, 4);
  }

  @Test
  void agreesWithExactOnSixteenLatentChunks() {
    ListCameraHistory walk = RandomWalk.walk(1200, 5, 0.1f, 8f);
    assertAgreement(MemoryConfig.upstream8b(), walk, 16);
  }

  @Test
  void marksRetrievedLatentsLikeExact() {
    ListCameraHistory walk = RandomWalk.walk(400, 3, 0.1f, 6f);
    MemorySelector exact = new ExactMemorySelector(MemoryConfig.upstream8b());
    MemorySelector indexed = new IndexedMemorySelector(MemoryConfig.upstream8b());
    for (int c = 24; c + 16 <= walk.size(); c += 16) {
      boolean[] exactFlags = new boolean[80];
      boolean[] indexedFlags = new boolean[80];
      int n = exact.select(walk, c, 16, new int[80], exactFlags);
      indexed.select(walk, c, 16, new int[80], indexedFlags);
      assertArrayEquals(Arrays.copyOf(exactFlags, n), Arrays.copyOf(indexedFlags, n), "chunk " + c);
    }
  }

  @Test
  void workStaysFlatOnAWalkThatKeepsExploring() {
    // No arena and no returns close by: the cameras near the walker stay few however long the path is.
    ListCameraHistory walk = RandomWalk.walk(12_000, 31, 0.2f, 0f);
    IndexedMemorySelector indexed = new IndexedMemorySelector(MemoryConfig.upstream8b());
    int[] out = new int[20];
    long early = visitsOver(indexed, walk, 1000, 1400, out);
    long late = visitsOver(indexed, walk, 11_000, 11_400, out);
    assertTrue(late < 4 * early + 4000, "visits grew from " + early + " to " + late);
  }

  @Test
  void allocatesNothingPerSelection() {
    // 16-latent chunks: four sub-chunks, the longest lists the selection merges.
    ListCameraHistory walk = RandomWalk.walk(2000, 13, 0.08f, 10f);
    IndexedMemorySelector indexed = new IndexedMemorySelector(MemoryConfig.upstream8b());
    int[] out = new int[80];
    boolean[] retrieved = new boolean[80];
    for (int c = 24; c + 16 <= walk.size(); c += 16) {
      indexed.select(walk, c, 16, out, retrieved); // builds the index and warms up
    }
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int c = 24; c + 16 <= walk.size(); c += 16) {
      indexed.select(walk, c, 16, out, retrieved);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated == 0, allocated + " bytes allocated over " + (walk.size() / 16) + " selections");
  }

  private static long visitsOver(IndexedMemorySelector selector, ListCameraHistory walk, int from, int to,
      int[] out) {
    long before = selector.visitedCameras;
    for (int c = from; c < to; c += 4) {
      selector.select(walk, c, 4, out);
    }
    return selector.visitedCameras - before;
  }

  private static void assertAgreement(MemoryConfig config, ListCameraHistory walk, int chunkLength) {
    MemorySelector exact = new ExactMemorySelector(config);
    MemorySelector indexed = new IndexedMemorySelector(config);
    int[] exactOut = new int[config.maxSelected(chunkLength)];
    int[] indexedOut = new int[exactOut.length];
    boolean[] retrieved = new boolean[exactOut.length];
    int chunks = 0, same = 0, spatial = 0;
    for (int c = chunkLength; c + chunkLength <= walk.size(); c += chunkLength) {
      int n = exact.select(walk, c, chunkLength, exactOut, retrieved);
      int m = indexed.select(walk, c, chunkLength, indexedOut);
      chunks++;
      if (Arrays.equals(exactOut, 0, n, indexedOut, 0, m)) {
        same++;
      }
      // A retrieval that is not the earliest-candidate fallback shows that overlap decided something.
      for (int i = 0; i < n; i++) {
        if (retrieved[i] && exactOut[i] >= config.firstCandidate() + config.chunkLatents()) {
          spatial++;
          break;
        }
      }
    }
    double rate = same / (double) chunks;
    System.out.printf("%s chunkLength %d: exact == indexed in %d / %d chunks (%.2f %%), %d chunks with a "
        + "real retrieval%n", config.contextSize() == 20 ? "8B" : "5B", chunkLength, same, chunks, 100 * rate,
        spatial);
    assertTrue(rate >= 0.99, "agreement " + same + " / " + chunks);
    assertTrue(spatial > chunks / 4, "only " + spatial + " chunks retrieved by overlap; the walk tests too little");
  }
}
