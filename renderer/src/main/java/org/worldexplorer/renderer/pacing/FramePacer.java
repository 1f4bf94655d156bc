package org.worldexplorer.renderer.pacing;

/**
 * Decides, once per display refresh on the GL thread, whether to show the next generated frame. Frames are shown
 * at a fixed rate; when generation falls behind, the last frame is held (and counted) instead of stuttering, and
 * when frames arrive again the clock is re-anchored so the pacer never races to catch up.
 *
 * <p>Not thread-safe: only the GL thread calls it. Times are in nanoseconds from any monotonic clock.
 */
public final class FramePacer {

  private final long frameIntervalNanos;
  private boolean started;
  private long nextDueNanos;
  private boolean holding;
  private long heldRefreshes;
  private long shownFrames;

  public FramePacer(double framesPerSecond) {
    if (!(framesPerSecond > 0 && framesPerSecond <= 1000)) {
      throw new IllegalArgumentException("frame rate must be in (0, 1000] frames per second, got " + framesPerSecond);
    }
    this.frameIntervalNanos = Math.round(1e9 / framesPerSecond);
  }

  /**
   * Returns true when the caller should take one frame from the queue and show it now.
   *
   * @param nowNanos the current time
   * @param framesAvailable how many generated frames are waiting in the queue
   */
  public boolean shouldAdvance(long nowNanos, int framesAvailable) {
    if (!started) {
      if (framesAvailable == 0) {
        return false;
      }
      started = true;
      return advanceAt(nowNanos);
    }
    if (nowNanos - nextDueNanos < 0) {
      return false;
    }
    if (framesAvailable == 0) {
      holding = true;
      heldRefreshes++;
      return false;
    }
    // Late by more than a frame (a stall or a hold): restart the clock from now instead of catching up.
    boolean late = holding || nowNanos - nextDueNanos >= frameIntervalNanos;
    holding = false;
    if (late) {
      return advanceAt(nowNanos);
    }
    nextDueNanos += frameIntervalNanos;
    shownFrames++;
    return true;
  }

  private boolean advanceAt(long nowNanos) {
    nextDueNanos = nowNanos + frameIntervalNanos;
    shownFrames++;
    return true;
  }

  /** True while a frame is due but generation has not delivered it; the panel says so. */
  public boolean isHolding() {
    return holding;
  }

  /** Display refreshes spent holding the last frame since construction. */
  public long heldRefreshes() {
    return heldRefreshes;
  }

  /** Frames shown since construction. */
  public long shownFrames() {
    return shownFrames;
  }

  public long frameIntervalNanos() {
    return frameIntervalNanos;
  }

  /** Forgets the clock, for example after a pause, so the next frame is shown as soon as it exists. */
  public void restart() {
    started = false;
    holding = false;
  }
}
