package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import org.worldexplorer.runtime.bundle.DType;

/**
 * A float tensor at a graph boundary, in the dtype the manifest declares, over a float32 buffer the host reads and
 * writes. For float32 the tensor reads that buffer in place; for float16 and bfloat16 it has its own half buffer
 * and {@link #publish()} / {@link #pull()} convert between the two. Both buffers are made once.
 */
final class BoundaryTensor implements AutoCloseable {

  private final DType dtype;
  private final FloatBuffer floats;
  private final ShortBuffer halves;
  private final OnnxTensor tensor;

  private BoundaryTensor(DType dtype, FloatBuffer floats, ShortBuffer halves, OnnxTensor tensor) {
    this.dtype = dtype;
    this.floats = floats;
    this.halves = halves;
    this.tensor = tensor;
  }

  static BoundaryTensor create(OrtEnvironment env, DType dtype, long[] shape) throws OrtException {
    if (!dtype.isFloat()) {
      throw new IllegalArgumentException("a boundary tensor of the host's float buffers must be a float type, got "
          + dtype);
    }
    long count = 1;
    for (long size : shape) {
      count = Math.multiplyExact(count, size);
    }
    FloatBuffer floats = NativeBuffers.floats(count);
    if (!dtype.isHalf()) {
      return new BoundaryTensor(dtype, floats, null, OnnxTensor.createTensor(env, floats, shape));
    }
    ShortBuffer halves = ByteBuffer.allocateDirect(Math.toIntExact(count * 2)).order(ByteOrder.nativeOrder())
        .asShortBuffer();
    OnnxJavaType type = dtype == DType.FLOAT16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16;
    return new BoundaryTensor(dtype, floats, halves, OnnxTensor.createTensor(env, halves, shape, type));
  }

  /** The host's float32 values, from index 0. */
  FloatBuffer floats() {
    return floats;
  }

  OnnxTensor tensor() {
    return tensor;
  }

  DType dtype() {
    return dtype;
  }

  /** Makes the tensor hold the float buffer's values (rounded to the half type); allocates nothing. */
  void publish() {
    if (halves == null) {
      return;
    }
    boolean fp16 = dtype == DType.FLOAT16;
    for (int i = 0; i < floats.capacity(); i++) {
      float v = floats.get(i);
      halves.put(i, fp16 ? Fp16Conversions.floatToFp16(v) : Fp16Conversions.floatToBf16(v));
    }
  }

  /** Reads what a graph wrote into the tensor back into the float buffer; allocates nothing. */
  void pull() {
    if (halves == null) {
      return;
    }
    boolean fp16 = dtype == DType.FLOAT16;
    for (int i = 0; i < floats.capacity(); i++) {
      short h = halves.get(i);
      floats.put(i, fp16 ? Fp16Conversions.fp16ToFloat(h) : Fp16Conversions.bf16ToFloat(h));
    }
  }

  @Override
  public void close() {
    tensor.close();
  }
}
