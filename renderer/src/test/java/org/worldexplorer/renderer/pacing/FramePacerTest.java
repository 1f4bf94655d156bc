package org.worldexplorer.renderer.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FramePacerTest {

  private static final long MS = 1_000_000L;

  @Test
  void showsFramesAtTheFrameRateWhenARefreshIsFasterThanIt() {
    FramePacer pacer = new FramePacer(24);
    int shown = 0;
    // 1 s of 144 Hz refreshes with frames always available: exactly 24 frames (the first at t = 0).
    for (int i = 0; i < 144; i++) {
      if (pacer.shouldAdvance(i * 1_000_000_000L / 144, 100)) {
        shown++;
      }
    }
    assertEquals(24, shown);
    assertEquals(41_666_667L, pacer.frameIntervalNanos());
  }

  @Test
  void waitsForTheFirstFrame() {
    FramePacer pacer = new FramePacer(24);
    assertFalse(pacer.shouldAdvance(0, 0));
    assertFalse(pacer.isHolding(), "nothing was due yet, so nothing is held");
    assertTrue(pacer.shouldAdvance(5 * MS, 1));
    assertFalse(pacer.shouldAdvance(20 * MS, 1), "next frame is due at 5 ms + 41.7 ms");
    assertTrue(pacer.shouldAdvance(47 * MS, 1));
  }

  @Test
  void holdsTheLastFrameWhenGenerationFallsBehindAndDoesNotRaceAfterwards() {
    FramePacer pacer = new FramePacer(24);
    assertTrue(pacer.shouldAdvance(0, 1));
    assertFalse(pacer.shouldAdvance(50 * MS, 0));
    assertTrue(pacer.isHolding());
    assertFalse(pacer.shouldAdvance(100 * MS, 0));
    assertEquals(2, pacer.heldRefreshes());
    // A whole chunk arrives at 300 ms: one frame now, then one per interval, not a burst.
    assertTrue(pacer.shouldAdvance(300 * MS, 16));
    assertFalse(pacer.isHolding());
    assertFalse(pacer.shouldAdvance(310 * MS, 15));
    assertFalse(pacer.shouldAdvance(341 * MS, 15));
    assertTrue(pacer.shouldAdvance(342 * MS, 15));
  }

  @Test
  void spreadsAChunkEvenlyAcrossTime() {
    FramePacer pacer = new FramePacer(24);
    long[] shownAt = new long[16];
    int shown = 0;
    for (long t = 0; shown < 16; t += MS) {
      if (pacer.shouldAdvance(t, 16 - shown)) {
        shownAt[shown++] = t;
      }
    }
    for (int i = 1; i < 16; i++) {
      long gap = shownAt[i] - shownAt[i - 1];
      assertTrue(gap >= 41 * MS && gap <= 42 * MS, "gap " + i + " was " + gap + " ns");
    }
  }

  @Test
  void rejectsANonsenseFrameRate() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FramePacer(0));
    assertTrue(e.getMessage().contains("frame rate"));
  }
}
