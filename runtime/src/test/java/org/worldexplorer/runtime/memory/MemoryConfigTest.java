package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryConfigTest {

  @Test
  void presetsMatchTheUpstreamModels() {
    MemoryConfig big = MemoryConfig.upstream8b();
    assertEquals(20, big.contextSize());
    assertArrayEquals(new int[] {0, 1, 2, 3}, big.forcedLatents());
    assertEquals(1, big.retrievedChunks()); // 20 - 12 - 4 = 4 latents = one chunk
    assertEquals(2, big.secondProbeOffset());
    MemoryConfig small = MemoryConfig.upstream5b();
    assertEquals(16, small.contextSize());
    assertEquals(0, small.forcedLatents().length);
    assertEquals(1, small.retrievedChunks()); // 16 - 12 = 4 latents = one chunk
    assertEquals(80, big.maxSelected(16));
  }

  @Test
  void forcedLatentsCannotBeChangedFromOutside() {
    int[] forced = {0, 1, 2, 3};
    MemoryConfig config = new MemoryConfig(20, 12, 4, forced, 4, 4, 21, 60, 35, 8);
    forced[0] = 9;
    config.forcedLatents()[1] = 9;
    assertArrayEquals(new int[] {0, 1, 2, 3}, config.forcedLatents());
    assertEquals(MemoryConfig.upstream8b(), config);
  }

  @Test
  void rejectsInconsistentSizes() {
    // 20 - 12 - 4 = 4 is not a multiple of chunkLatents 8.
    assertMessage("multiple of chunkLatents", () -> new MemoryConfig(20, 12, 8, new int[] {0, 1, 2, 3}, 4, 8, 21,
        60, 35, 8));
    assertMessage("temporalContext", () -> new MemoryConfig(12, 12, 4, new int[0], 0, 4, 13, 60, 35, 8));
    assertMessage("below firstCandidate", () -> new MemoryConfig(20, 12, 4, new int[] {0, 1, 2, 3}, 0, 4, 21,
        60, 35, 8));
    assertMessage("candidateStride", () -> new MemoryConfig(16, 12, 4, new int[0], 0, 2, 16, 60, 35, 8));
    assertMessage("allHistoryBelow", () -> new MemoryConfig(16, 12, 4, new int[0], 0, 4, 12, 60, 35, 8));
    assertMessage("horizontalFovDegrees", () -> new MemoryConfig(16, 12, 4, new int[0], 0, 4, 16, 180, 35, 8));
    assertMessage("viewRadius", () -> new MemoryConfig(16, 12, 4, new int[0], 0, 4, 16, 60, 35, 0));
  }

  private static void assertMessage(String fragment, Runnable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
