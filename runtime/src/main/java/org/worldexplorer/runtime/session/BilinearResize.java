package org.worldexplorer.runtime.session;

import java.nio.FloatBuffer;

/**
 * Bilinear resizing of planar RGB float images, as PIL's and torch's antialiased bilinear: pixel centres sit at
 * {@code i + 0.5}, the triangle filter is widened by the scale when shrinking (so every source pixel counts), and
 * weights are renormalised at the borders. Enlarging is then plain bilinear interpolation with clamped edges.
 * Weights and the intermediate image are made once per size pair.
 */
final class BilinearResize {

  private final int inWidth;
  private final int inHeight;
  private final int outWidth;
  private final int outHeight;
  private final Taps horizontal;
  private final Taps vertical;
  /** One channel after the horizontal pass: {@code inHeight × outWidth}. */
  private final float[] rows;

  /** For one axis: per output index, the first source index and the weights of the sources from there. */
  private record Taps(int[] first, float[][] weights) {

    static Taps of(int in, int out) {
      double scale = (double) in / out;
      double reach = Math.max(scale, 1.0);
      int[] first = new int[out];
      float[][] weights = new float[out][];
      for (int i = 0; i < out; i++) {
        double centre = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(centre - reach));
        int hi = Math.min(in, (int) Math.ceil(centre + reach));
        double[] w = new double[hi - lo];
        double sum = 0;
        for (int j = lo; j < hi; j++) {
          w[j - lo] = Math.max(0.0, 1.0 - Math.abs(j + 0.5 - centre) / reach);
          sum += w[j - lo];
        }
        first[i] = lo;
        weights[i] = new float[w.length];
        for (int k = 0; k < w.length; k++) {
          weights[i][k] = (float) (w[k] / sum);
        }
      }
      return new Taps(first, weights);
    }
  }

  BilinearResize(int inWidth, int inHeight, int outWidth, int outHeight) {
    if (inWidth < 1 || inHeight < 1 || outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("image sizes must be at least 1x1, got " + inWidth + "x" + inHeight
          + " -> " + outWidth + "x" + outHeight);
    }
    this.inWidth = inWidth;
    this.inHeight = inHeight;
    this.outWidth = outWidth;
    this.outHeight = outHeight;
    horizontal = Taps.of(inWidth, outWidth);
    vertical = Taps.of(inHeight, outHeight);
    rows = new float[inHeight * outWidth];
  }

  /**
   * Resizes {@code channels} planes from {@code src} (absolute indices from 0) into {@code dest} (from 0).
   * Allocates nothing.
   */
  void resize(FloatBuffer src, FloatBuffer dest, int channels) {
    int inPlane = inWidth * inHeight;
    int outPlane = outWidth * outHeight;
    if (src.capacity() < channels * inPlane || dest.capacity() < channels * outPlane) {
      throw new IllegalArgumentException("need " + channels + " planes of " + inWidth + "x" + inHeight + " in and "
          + outWidth + "x" + outHeight + " out, got buffers of " + src.capacity() + " and " + dest.capacity()
          + " floats");
    }
    for (int c = 0; c < channels; c++) {
      int inBase = c * inPlane;
      for (int y = 0; y < inHeight; y++) {
        for (int x = 0; x < outWidth; x++) {
          float[] w = horizontal.weights[x];
          int from = inBase + y * inWidth + horizontal.first[x];
          float sum = 0;
          for (int k = 0; k < w.length; k++) {
            sum += w[k] * src.get(from + k);
          }
          rows[y * outWidth + x] = sum;
        }
      }
      int outBase = c * outPlane;
      for (int y = 0; y < outHeight; y++) {
        float[] w = vertical.weights[y];
        int firstRow = vertical.first[y];
        for (int x = 0; x < outWidth; x++) {
          float sum = 0;
          for (int k = 0; k < w.length; k++) {
            sum += w[k] * rows[(firstRow + k) * outWidth + x];
          }
          dest.put(outBase + y * outWidth + x, sum);
        }
      }
    }
  }
}
