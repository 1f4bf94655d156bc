package org.worldexplorer.app;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the display did during one explore run, printed when the window closes: frames shown and the intervals
 * between them, refresh time with generation paused, key-to-motion latency, and bytes the GL thread allocated per
 * shown frame. GL thread only; fixed-size arrays, nothing allocated per frame.
 */
final class DisplayStatistics {

  private static final int CAPACITY = 1 << 16;

  private final long[] frameIntervals = new long[CAPACITY];
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private int intervals;
  private long framesShown;
  private long lastFrameAt;
  private long pausedRefreshNanos;
  private long pausedRefreshes;
  private double lastKeyToMotionMillis = Double.NaN;
  private long allocatedAtStart;
  private long glThread;

  void start() {
    glThread = Thread.currentThread().getId();
    allocatedAtStart = threads.getThreadAllocatedBytes(glThread);
  }

  /** Once per refresh, with the previous refresh's own work time (start to buffer swap). */
  void onRefresh(long previousRefreshWorkNanos, boolean paused) {
    if (paused && previousRefreshWorkNanos > 0) {
      pausedRefreshNanos += previousRefreshWorkNanos;
      pausedRefreshes++;
    }
  }

  void onFrameShown(long now) {
    if (framesShown > 0 && intervals < CAPACITY) {
      frameIntervals[intervals++] = now - lastFrameAt;
    }
    lastFrameAt = now;
    framesShown++;
  }

  void onKeyToMotion(double millis) {
    lastKeyToMotionMillis = millis;
  }

  String summary(GenerationStats generation) {
    long allocated = threads.getThreadAllocatedBytes(glThread) - allocatedAtStart;
    long[] sorted = Arrays.copyOf(frameIntervals, intervals);
    Arrays.sort(sorted);
    double mean = intervals == 0 ? 0 : Arrays.stream(sorted).average().orElse(0) / 1e6;
    double p99 = intervals == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(0.99 * intervals) - 1)] / 1e6;
    double max = intervals == 0 ? 0 : sorted[intervals - 1] / 1e6;
    return String.format(Locale.ROOT,
        "Shown %d frames; frame interval mean %.1f ms, p99 %.1f ms, max %.1f ms; generation %.1f FPS over %d chunks;"
            + " display frame time with generation paused %s; key to motion %s; GL thread allocated %.0f bytes per shown frame;"
            + " camera at x %.3f z %.3f",
        framesShown, mean, p99, max, generation.generationFps, generation.chunks,
        pausedRefreshes == 0 ? "not measured" : String.format(Locale.ROOT, "%.2f ms", pausedRefreshNanos / 1e6
            / pausedRefreshes),
        Double.isNaN(lastKeyToMotionMillis) ? "not measured" : String.format(Locale.ROOT, "%.0f ms",
            lastKeyToMotionMillis),
        framesShown == 0 ? 0.0 : (double) allocated / framesShown,
        generation.pathLength == 0 ? 0.0 : generation.pathX[generation.pathLength - 1],
        generation.pathLength == 0 ? 0.0 : generation.pathZ[generation.pathLength - 1]);
  }
}
