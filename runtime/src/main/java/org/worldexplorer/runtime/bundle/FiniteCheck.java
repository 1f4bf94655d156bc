package org.worldexplorer.runtime.bundle;

import java.nio.FloatBuffer;

/** Finds NaN and infinity in graph outputs without allocating. */
public final class FiniteCheck {

  private FiniteCheck() {}

  /**
   * The index (relative to {@code from}) of the first NaN or infinite value among {@code count} floats starting
   * at absolute position {@code from}, or -1 when all are finite. The buffer's position is not changed.
   */
  public static long firstNonFinite(FloatBuffer values, int from, int count) {
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(values.get(from + i))) {
        return i;
      }
    }
    return -1;
  }

  /** Throws a {@link GraphRunException} naming the graph, the output and the first bad element. */
  public static void requireFinite(String graph, String output, FloatBuffer values, int from, int count)
      throws GraphRunException {
    long bad = firstNonFinite(values, from, count);
    if (bad >= 0) {
      throw new GraphRunException(graph, output, bad, count, values.get(from + (int) bad));
    }
  }
}
