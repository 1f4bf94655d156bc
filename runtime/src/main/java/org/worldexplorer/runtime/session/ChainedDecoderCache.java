package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Set;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.ModelBundle;

/**
 * The decoder cache kept in ONNX Runtime's memory, for caches past what a Java buffer holds (2 GB): each call's
 * cache_out is allocated by ONNX Runtime, held open in its run result, and fed as is to the next call's cache_in;
 * the held result is closed once the next call has run, on a failed call, and on {@link #close()}. Needs the
 * decoders to agree on the cache dtype, as nothing converts it.
 */
final class ChainedDecoderCache implements DecoderCache {

  private static final Set<String> CACHE_OUT = Set.of("cache_out");

  private final ModelBundle bundle;
  private OrtSession.Result held;
  private String lost;

  ChainedDecoderCache(ModelBundle bundle) {
    this.bundle = bundle;
  }

  @Override
  public Mode mode() {
    return Mode.CHAINED;
  }

  @Override
  public long hostValues() {
    return 0;
  }

  /** The cache the next call reads, owned by the held result; null before the first call and after a release. */
  OnnxTensor heldCache() {
    return held == null ? null : cacheOf(held);
  }

  @Override
  public void decodeFirst(OnnxTensor latents, OnnxTensor frames) throws GraphRunException {
    keep(FIRST, Map.of("latents", latents), frames);
  }

  @Override
  public void decodeLater(OnnxTensor latents, OnnxTensor frames) throws GraphRunException {
    if (held == null) {
      throw new IllegalStateException(lost != null ? "the decoder cache was released when " + lost
          + " failed; start a new session" : LATER + " needs the cache of an earlier call; run " + FIRST + " first");
    }
    keep(LATER, Map.of("latents", latents, "cache_in", cacheOf(held)), frames);
  }

  /** Runs a decoder, then holds its result in place of the one whose cache it read. */
  private void keep(String graph, Map<String, OnnxTensor> inputs, OnnxTensor frames) throws GraphRunException {
    OrtSession.Result next;
    try {
      next = bundle.runWithNativeOutputs(graph, inputs, CACHE_OUT, Map.of("frames", frames));
    } catch (GraphRunException | RuntimeException e) {
      // A failed chunk ends the walk (its latents are already stored); free the cache, it may be gigabytes.
      release();
      lost = graph;
      throw e;
    }
    release();
    held = next;
  }

  private static OnnxTensor cacheOf(OrtSession.Result result) {
    OnnxValue value = result.get("cache_out").orElseThrow(
        () -> new IllegalStateException("a decoder run returned no cache_out"));
    return (OnnxTensor) value;
  }

  private void release() {
    if (held != null) {
      held.close();
      held = null;
    }
  }

  @Override
  public void close() {
    release();
  }
}
