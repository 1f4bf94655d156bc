package org.worldexplorer.runtime.session;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Turns decoder output ({@code [1, 3, F, H, W]} floats in about [−1, 1]) into interleaved RGB8 frames, as upstream
 * does: {@code clamp(x / 2 + 0.5, 0, 1)}, then truncate {@code × 255}.
 */
public final class FrameConverter {

  private FrameConverter() {}

  /** Writes frame {@code frame} of {@code frames} into {@code dest} at its position, {@code 3·H·W} bytes. */
  public static void toRgb8(FloatBuffer frames, int frameCount, int frame, int height, int width, ByteBuffer dest) {
    int plane = height * width;
    int channelStride = frameCount * plane;
    int base = frames.position() + frame * plane;
    int out = dest.position();
    for (int i = 0; i < plane; i++) {
      dest.put(out + 3 * i, toByte(frames.get(base + i)));
      dest.put(out + 3 * i + 1, toByte(frames.get(base + channelStride + i)));
      dest.put(out + 3 * i + 2, toByte(frames.get(base + 2 * channelStride + i)));
    }
  }

  static byte toByte(float x) {
    float v = x * 0.5f + 0.5f;
    v = v < 0f ? 0f : Math.min(v, 1f);
    return (byte) (int) (v * 255f);
  }
}
