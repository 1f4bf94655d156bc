package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Map;
import org.worldexplorer.runtime.bundle.DType;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.GraphSpec;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ModelBundle;

/**
 * The decoder cache in two float32 host buffers: each call reads one and writes the other, so a call never
 * overwrites its own input. When the decoders' cache dtypes agree the tensors over a buffer are one object and
 * the cache crosses without a conversion; otherwise it goes through the host's floats ({@link BoundaryTensor}).
 */
final class PinnedDecoderCache implements DecoderCache {

  private final ModelBundle bundle;
  private final BoundaryTensors boundaries;
  private final FloatBuffer[] caches = new FloatBuffer[2];
  private final BoundaryTensor[] firstOut = new BoundaryTensor[2];
  private final BoundaryTensor[] laterIn = new BoundaryTensor[2];
  private final BoundaryTensor[] laterOut = new BoundaryTensor[2];
  private BoundaryTensor written;
  private int current;

  PinnedDecoderCache(ModelBundle bundle, OrtEnvironment env) throws OrtException {
    this.bundle = bundle;
    Manifest manifest = bundle.manifest();
    long size = manifest.vae().cacheSize();
    long[] shape = {size};
    boundaries = new BoundaryTensors(env);
    try {
      for (int k = 0; k < 2; k++) {
        caches[k] = NativeBuffers.floats(size);
        firstOut[k] = boundaries.over(caches[k], dtype(manifest.graph(FIRST), false, "cache_out"), shape);
        laterIn[k] = boundaries.over(caches[k], dtype(manifest.graph(LATER), true, "cache_in"), shape);
        laterOut[k] = boundaries.over(caches[k], dtype(manifest.graph(LATER), false, "cache_out"), shape);
      }
    } catch (OrtException | RuntimeException e) {
      boundaries.close();
      throw e;
    }
  }

  private static DType dtype(GraphSpec graph, boolean input, String tensor) {
    return (input ? graph.input(tensor) : graph.output(tensor)).orElseThrow().dtype();
  }

  @Override
  public Mode mode() {
    return Mode.PINNED;
  }

  @Override
  public long hostValues() {
    return (long) caches[0].capacity() + caches[1].capacity();
  }

  @Override
  public void decodeFirst(OnnxTensor latents, OnnxTensor frames) throws GraphRunException {
    int next = current ^ 1;
    bundle.run(FIRST, Map.of("latents", latents), Map.of("frames", frames, "cache_out", firstOut[next].tensor()));
    written = firstOut[next];
    current = next;
  }

  @Override
  public void decodeLater(OnnxTensor latents, OnnxTensor frames) throws GraphRunException {
    if (written == null) {
      throw new IllegalStateException(LATER + " needs the cache of an earlier call; run " + FIRST + " first");
    }
    int next = current ^ 1;
    BoundaryTensor.handOver(written, laterIn[current]);
    bundle.run(LATER, Map.of("latents", latents, "cache_in", laterIn[current].tensor()),
        Map.of("frames", frames, "cache_out", laterOut[next].tensor()));
    written = laterOut[next];
    current = next;
  }

  @Override
  public void close() {
    boundaries.close();
  }
}
