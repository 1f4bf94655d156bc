package org.worldexplorer.runtime.action;

import java.util.Arrays;

/**
 * One held two-axis level (the move keys, or the turn keys) followed through the quarters of one input
 * window, deciding which quarters count as "held".
 *
 * <p>The rule: a quarter is held when the level was non-zero for at least half of it. A press (a run of
 * non-zero level) that ends without having made any quarter held, a tap shorter than half a quarter or one
 * split across a boundary, still makes exactly one quarter held: the one it covered longest (the earlier on a
 * tie). A press still going at the end of a window carries that promise into the next window. The quarter's
 * direction is the mean level over its held time.
 *
 * <p>Used by the sampler's generation thread only; it allocates nothing after construction.
 */
final class HeldChannel {

  private final long[] heldNanos;
  private final double[] sumX;
  private final double[] sumY;
  private final long[] pressNanos;
  private final boolean[] forced;
  private final double[] forcedX;
  private final double[] forcedY;

  private float levelX;
  private float levelY;
  private boolean pressActive;
  private boolean pressSatisfied;
  private double pressSumX;
  private double pressSumY;
  private float pressStartX;
  private float pressStartY;

  HeldChannel(int quarters) {
    heldNanos = new long[quarters];
    sumX = new double[quarters];
    sumY = new double[quarters];
    pressNanos = new long[quarters];
    forced = new boolean[quarters];
    forcedX = new double[quarters];
    forcedY = new double[quarters];
  }

  /** Forgets every level and press, as at the start of a session. */
  void reset() {
    levelX = 0f;
    levelY = 0f;
    pressActive = false;
    pressSatisfied = false;
    beginWindow();
  }

  /** Clears the per-quarter sums; the level and a running press carry over. */
  void beginWindow() {
    Arrays.fill(heldNanos, 0L);
    Arrays.fill(sumX, 0.0);
    Arrays.fill(sumY, 0.0);
    Arrays.fill(pressNanos, 0L);
    Arrays.fill(forced, false);
  }

  boolean isPressed() {
    return pressActive;
  }

  /** The current level stayed in force for {@code nanos} inside quarter {@code quarter}. */
  void accumulate(int quarter, long nanos) {
    if (!pressActive || nanos <= 0) {
      return;
    }
    heldNanos[quarter] += nanos;
    sumX[quarter] += (double) levelX * nanos;
    sumY[quarter] += (double) levelY * nanos;
    pressNanos[quarter] += nanos;
    pressSumX += (double) levelX * nanos;
    pressSumY += (double) levelY * nanos;
  }

  /** The level changes to {@code (x, y)} at a time inside quarter {@code quarter} of length {@code length}. */
  void setLevel(float x, float y, int quarter, long length) {
    boolean on = x != 0f || y != 0f;
    if (pressActive && !on) {
      endPress(quarter, length);
    } else if (!pressActive && on) {
      pressActive = true;
      pressSatisfied = false;
      pressSumX = 0;
      pressSumY = 0;
      pressStartX = x;
      pressStartY = y;
      Arrays.fill(pressNanos, 0L);
    }
    levelX = x;
    levelY = y;
  }

  /** Quarter {@code quarter}, of length {@code length}, is over: a running press that made it held is done. */
  void endQuarter(int quarter, long length) {
    if (pressActive && pressNanos[quarter] > 0 && isHeld(quarter, length)) {
      pressSatisfied = true;
    }
  }

  boolean isHeld(int quarter, long length) {
    return forced[quarter] || 2 * heldNanos[quarter] >= length;
  }

  /** Mean x level over the quarter's held time (the press direction for a quarter held only by the tap rule). */
  double meanX(int quarter) {
    return heldNanos[quarter] > 0 ? sumX[quarter] / heldNanos[quarter] : forcedX[quarter];
  }

  /** Mean y level over the quarter's held time. */
  double meanY(int quarter) {
    return heldNanos[quarter] > 0 ? sumY[quarter] / heldNanos[quarter] : forcedY[quarter];
  }

  /** Held time in the quarter, nanoseconds. */
  long heldNanos(int quarter) {
    return heldNanos[quarter];
  }

  private void endPress(int quarter, long length) {
    pressActive = false;
    if (pressSatisfied || (pressNanos[quarter] > 0 && 2 * heldNanos[quarter] >= length)) {
      return;
    }
    int best = 0;
    for (int q = 1; q <= quarter; q++) {
      if (pressNanos[q] > pressNanos[best]) {
        best = q;
      }
    }
    forced[best] = true;
    // A press that ended right at the window start left no time here; it still moves its own way.
    boolean hasSum = pressSumX != 0 || pressSumY != 0;
    double norm = hasSum ? Math.max(Math.abs(pressSumX), Math.abs(pressSumY)) : 1.0;
    forcedX[best] = hasSum ? pressSumX / norm : pressStartX;
    forcedY[best] = hasSum ? pressSumY / norm : pressStartY;
  }
}
