package org.worldexplorer.runtime.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Direct, native-order buffers: the only kind ONNX Runtime reads in place (a big-endian one gives wrong values). */
final class NativeBuffers {

  /** The most bytes one direct buffer holds: Java indexes buffers with an int. */
  static final long MAX_BYTES = Integer.MAX_VALUE;

  private NativeBuffers() {}

  static FloatBuffer floats(long count) {
    return ByteBuffer.allocateDirect(bytes(count, Float.BYTES, "floats")).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  static LongBuffer longs(long count) {
    return ByteBuffer.allocateDirect(bytes(count, Long.BYTES, "longs")).order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }

  /** True when {@code count} values of {@code width} bytes fit one direct buffer. */
  static boolean fits(long count, int width) {
    return count >= 0 && count <= MAX_BYTES / width;
  }

  private static int bytes(long count, int width, String what) {
    if (count < 0) {
      throw new IllegalArgumentException("cannot make a direct buffer of " + count + " " + what
          + ": the count must not be negative");
    }
    if (!fits(count, width)) {
      String bytes = count > Long.MAX_VALUE / width ? "over 2^63" : Long.toString(count * width);
      throw new IllegalArgumentException("cannot make a direct buffer of " + count + " " + what + ": that is "
          + bytes + " bytes, and a Java direct buffer holds at most " + MAX_BYTES + " bytes (2 GB)");
    }
    return (int) (count * width);
  }
}
