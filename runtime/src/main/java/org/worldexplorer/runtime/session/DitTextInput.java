package org.worldexplorer.runtime.session;

import java.nio.FloatBuffer;

/**
 * One stream's DiT input for one prompt in a single array: {@code max_tokens × dim} embeddings followed by
 * {@code max_tokens} mask values, the layout of a {@code prompt_cache/} file. Built from the encoder's output by
 * dropping its first {@code crop_start} rows.
 */
final class DitTextInput {

  private DitTextInput() {}

  static int floats(int maxTokens, int dim) {
    return Math.addExact(Math.multiplyExact(maxTokens, dim), maxTokens);
  }

  /**
   * Rows {@code cropStart … cropStart + maxTokens − 1} of the encoder's embeddings and of its attention mask.
   *
   * @param embeds the encoder output {@code [1, cropStart + maxTokens, dim]}, read from its position
   * @param mask the attention mask the encoder read, {@code cropStart + maxTokens} values
   * @throws IllegalArgumentException when the sizes do not match
   */
  static float[] fromEncoder(FloatBuffer embeds, long[] mask, int cropStart, int maxTokens, int dim) {
    int rows = cropStart + maxTokens;
    if (mask.length != rows || embeds.remaining() != (long) rows * dim) {
      throw new IllegalArgumentException("the encoder read " + mask.length + " tokens and returned "
          + embeds.remaining() + " floats; expected " + rows + " tokens (max_tokens " + maxTokens + " + crop_start "
          + cropStart + ") and " + (long) rows * dim + " floats (dim " + dim + ")");
    }
    float[] out = new float[floats(maxTokens, dim)];
    embeds.get(embeds.position() + cropStart * dim, out, 0, maxTokens * dim);
    for (int i = 0; i < maxTokens; i++) {
      out[maxTokens * dim + i] = mask[cropStart + i];
    }
    return out;
  }

  /** All zeros: no token is real (a glyph stream whose prompt quotes nothing). */
  static float[] zero(int maxTokens, int dim) {
    return new float[floats(maxTokens, dim)];
  }

  /** Writes {@code input} into the DiT's embedding and mask buffers (absolute puts; positions stay). */
  static void copyInto(float[] input, FloatBuffer embedsOut, FloatBuffer maskOut) {
    int embedFloats = embedsOut.capacity();
    if (input.length != embedFloats + maskOut.capacity()) {
      throw new IllegalArgumentException("a text input of " + input.length + " floats does not fill "
          + embedFloats + " embedding and " + maskOut.capacity() + " mask floats");
    }
    embedsOut.put(0, input, 0, embedFloats);
    maskOut.put(0, input, embedFloats, maskOut.capacity());
  }
}
