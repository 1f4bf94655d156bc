package org.worldexplorer.runtime.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Direct, native-order buffers: the only kind ONNX Runtime reads in place (a big-endian one gives wrong values). */
final class NativeBuffers {

  private NativeBuffers() {}

  static FloatBuffer floats(long count) {
    return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  static LongBuffer longs(long count) {
    return ByteBuffer.allocateDirect(Math.toIntExact(count * Long.BYTES)).order(ByteOrder.nativeOrder())
        .asLongBuffer();
  }
}
