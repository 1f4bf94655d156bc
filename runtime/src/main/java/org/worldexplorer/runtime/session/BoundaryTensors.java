package org.worldexplorer.runtime.session;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.worldexplorer.runtime.bundle.DType;

/**
 * The session's {@link BoundaryTensor}s: one per host buffer and dtype, so a graph output that the next graph
 * reads in the same precision (the decoder cache, the chunk latents) is one tensor and crosses without a
 * conversion. Owns and closes them all. Generation thread only.
 */
final class BoundaryTensors implements AutoCloseable {

  private final OrtEnvironment env;
  private final Map<FloatBuffer, Map<DType, BoundaryTensor>> byHost = new IdentityHashMap<>();
  private final List<BoundaryTensor> all = new ArrayList<>();

  BoundaryTensors(OrtEnvironment env) {
    this.env = env;
  }

  /** The tensor of {@code shape} over {@code host} in {@code dtype}; made once, then the same object. */
  BoundaryTensor over(FloatBuffer host, DType dtype, long[] shape) throws OrtException {
    return over(host, dtype, null, shape);
  }

  /**
   * As {@link #over(FloatBuffer, DType, long[])}, keeping half values in {@code halfStorage} (shared with other
   * views of the same buffer; see {@link BoundaryTensor#halfStorage}); null makes storage of its own.
   */
  BoundaryTensor over(FloatBuffer host, DType dtype, ShortBuffer halfStorage, long[] shape) throws OrtException {
    Map<DType, BoundaryTensor> tensors = byHost.computeIfAbsent(host, h -> new EnumMap<>(DType.class));
    BoundaryTensor tensor = tensors.get(dtype);
    if (tensor == null) {
      tensor = halfStorage == null ? BoundaryTensor.create(env, dtype, host, shape)
          : BoundaryTensor.create(env, dtype, host, halfStorage, shape);
      tensors.put(dtype, tensor);
      all.add(tensor);
    }
    return tensor;
  }

  @Override
  public void close() {
    all.forEach(BoundaryTensor::close);
    all.clear();
    byHost.clear();
  }
}
