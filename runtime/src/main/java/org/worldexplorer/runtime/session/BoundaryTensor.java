package org.worldexplorer.runtime.session;

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
 * One float tensor at a graph boundary, over a float32 buffer the session owns. When the manifest declares the
 * tensor float32, ONNX Runtime reads and writes the host buffer itself; when it declares float16 or bfloat16, the
 * tensor lies over a half-precision buffer made once here, and {@link #toGraph()} / {@link #fromGraph()} convert
 * between the two (ONNX Runtime's own conversions, round to nearest even). Nothing is allocated per call.
 *
 * <p>Owns its {@link OnnxTensor}; not the host buffer. Generation thread only.
 */
final class BoundaryTensor implements AutoCloseable {

  private final DType dtype;
  private final FloatBuffer host;
  private final ShortBuffer half;
  private final int elements;
  private final OnnxTensor tensor;

  private BoundaryTensor(DType dtype, FloatBuffer host, ShortBuffer half, int elements, OnnxTensor tensor) {
    this.dtype = dtype;
    this.host = host;
    this.half = half;
    this.elements = elements;
    this.tensor = tensor;
  }

  /** A tensor of {@code shape} over {@code host} (direct, native order, at least that many floats). */
  static BoundaryTensor create(OrtEnvironment env, DType dtype, FloatBuffer host, long[] shape)
      throws OrtException {
    return create(env, dtype, host, halfStorage(dtype, elements(shape)), shape);
  }

  /**
   * A tensor of {@code shape} over {@code host} that keeps its half values in {@code halfStorage} (from
   * {@link #halfStorage}, shared by tensors of which only one is in use at a time, such as the context inputs of
   * different context sizes); {@code halfStorage} is null for float32.
   */
  static BoundaryTensor create(OrtEnvironment env, DType dtype, FloatBuffer host, ShortBuffer halfStorage,
      long[] shape) throws OrtException {
    if (!dtype.isFloat()) {
      throw new IllegalArgumentException("a boundary tensor over float32 host values must be float32, float16 or"
          + " bfloat16, got " + dtype);
    }
    int elements = elements(shape);
    FloatBuffer hostView = host.duplicate().clear().limit(elements);
    if (!dtype.isHalf()) {
      return new BoundaryTensor(dtype, hostView, null, elements, OnnxTensor.createTensor(env, hostView, shape));
    }
    if (halfStorage == null || halfStorage.capacity() < elements) {
      throw new IllegalArgumentException("a " + dtype + " tensor of " + elements + " values needs half storage of"
          + " that size, got " + (halfStorage == null ? "none" : halfStorage.capacity()));
    }
    ShortBuffer halfView = halfStorage.duplicate().clear().limit(elements);
    return new BoundaryTensor(dtype, hostView, halfView, elements,
        OnnxTensor.createTensor(env, halfView, shape, dtype.ortType()));
  }

  /** Half-precision storage for up to {@code count} values of {@code dtype}; null for float32, which needs none. */
  static ShortBuffer halfStorage(DType dtype, long count) {
    if (!dtype.isHalf()) {
      return null;
    }
    return ByteBuffer.allocateDirect(Math.toIntExact(count * Short.BYTES)).order(ByteOrder.nativeOrder())
        .asShortBuffer();
  }

  /** The tensor to pass to a run. */
  OnnxTensor tensor() {
    return tensor;
  }

  DType dtype() {
    return dtype;
  }

  /** Before a run that reads this tensor: the host's float32 values into the graph's precision. */
  void toGraph() {
    if (dtype == DType.FLOAT16) {
      for (int i = 0; i < elements; i++) {
        half.put(i, Fp16Conversions.floatToFp16(host.get(i)));
      }
    } else if (dtype == DType.BFLOAT16) {
      for (int i = 0; i < elements; i++) {
        half.put(i, Fp16Conversions.floatToBf16(host.get(i)));
      }
    }
  }

  /** After a run that wrote this tensor: the graph's values into the host's float32 buffer. */
  void fromGraph() {
    if (dtype == DType.FLOAT16) {
      for (int i = 0; i < elements; i++) {
        host.put(i, Fp16Conversions.fp16ToFloat(half.get(i)));
      }
    } else if (dtype == DType.BFLOAT16) {
      for (int i = 0; i < elements; i++) {
        host.put(i, Fp16Conversions.bf16ToFloat(half.get(i)));
      }
    }
  }

  /**
   * Hands what one run wrote into {@code from} to the next run that reads {@code to}, both over the same host
   * buffer. The same tensor (equal dtypes) needs nothing; otherwise the values go through the host's floats.
   */
  static void handOver(BoundaryTensor from, BoundaryTensor to) {
    if (from != to) {
      from.fromGraph();
      to.toGraph();
    }
  }

  private static int elements(long[] shape) {
    long count = 1;
    for (long size : shape) {
      count = Math.multiplyExact(count, size);
    }
    return Math.toIntExact(count);
  }

  @Override
  public void close() {
    tensor.close();
  }
}
