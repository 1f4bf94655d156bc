package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/** Finds NaN and infinity in graph outputs (float32, float16 or bfloat16) without allocating. */
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

  /**
   * The index (relative to {@code from}) of the first NaN or infinite value among {@code count} half-precision
   * values of {@code dtype} starting at absolute position {@code from}, or -1 when all are finite.
   */
  public static long firstNonFinite(ShortBuffer values, DType dtype, int from, int count) {
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(toFloat(values.get(from + i), dtype))) {
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

  /** The same check over a half-precision output of {@code dtype} (float16 or bfloat16). */
  public static void requireFinite(String graph, String output, ShortBuffer values, DType dtype, int from,
      int count) throws GraphRunException {
    long bad = firstNonFinite(values, dtype, from, count);
    if (bad >= 0) {
      throw new GraphRunException(graph, output, bad, count, toFloat(values.get(from + (int) bad), dtype));
    }
  }

  private static float toFloat(short bits, DType dtype) {
    return switch (dtype) {
      case FLOAT16 -> Fp16Conversions.fp16ToFloat(bits);
      case BFLOAT16 -> Fp16Conversions.bf16ToFloat(bits);
      default -> throw new IllegalArgumentException("a half-precision check needs float16 or bfloat16, got "
          + dtype);
    };
  }
}
