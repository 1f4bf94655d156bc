package org.worldexplorer.app.record;

import java.io.PrintWriter;

/** A one-line terminal progress bar with the time left, redrawn in place: {@code [#####.....] 5/10 chunks  ETA 0:07}. */
public final class ProgressBar implements HeadlessRun.Progress {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final String what;
  private final long start = System.nanoTime();

  public ProgressBar(PrintWriter out, String what) {
    this.out = out;
    this.what = what;
  }

  @Override
  public void chunkDone(int done, int total) {
    out.print("\r" + line(done, total, (System.nanoTime() - start) / 1e9));
    if (done == total) {
      out.println();
    }
    out.flush();
  }

  /** The bar after {@code done} of {@code total} in {@code elapsedSeconds}. */
  String line(int done, int total, double elapsedSeconds) {
    int filled = total == 0 ? WIDTH : WIDTH * done / total;
    double left = done == 0 ? 0 : elapsedSeconds * (total - done) / done;
    long s = Math.round(done == total ? elapsedSeconds : left);
    return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + what
        + (done == total ? "  took " : "  ETA ") + s / 60 + ":" + String.format("%02d", s % 60);
  }
}
