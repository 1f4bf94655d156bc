package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.TextStream;

/**
 * The DiT's text inputs for the current prompt: per text stream, tokenise, run the stream's encoder graph, and
 * keep the embeddings and mask in tensors the DiT reads. Embeddings are cached by prompt text, so a prompt seen
 * before costs a copy. Owns its tensors; generation thread only.
 */
final class TextConditioning implements AutoCloseable {

  private final List<Stream> streams = new ArrayList<>();
  private final int maxPromptChars;
  private String prompt;
  private String notice = "";

  private static final class Stream {
    final TextStream spec;
    final SimpleTokenizer tokenizer;
    final long[] ids;
    final long[] mask;
    final FloatBuffer embeds;
    final FloatBuffer maskFloats;
    final OnnxTensor embedsTensor;
    final OnnxTensor maskTensor;
    final Map<String, float[]> cache = new HashMap<>();

    Stream(TextStream spec, SimpleTokenizer tokenizer, OrtEnvironment env) throws OrtException {
      this.spec = spec;
      this.tokenizer = tokenizer;
      ids = new long[spec.maxTokens()];
      mask = new long[spec.maxTokens()];
      embeds = NativeBuffers.floats((long) spec.maxTokens() * spec.dim());
      maskFloats = NativeBuffers.floats(spec.maxTokens());
      embedsTensor = OnnxTensor.createTensor(env, embeds, new long[] {1, spec.maxTokens(), spec.dim()});
      maskTensor = OnnxTensor.createTensor(env, maskFloats, new long[] {1, spec.maxTokens()});
    }
  }

  TextConditioning(ModelBundle bundle, OrtEnvironment env) throws BundleException {
    maxPromptChars = bundle.manifest().text().maxPromptChars();
    try {
      for (TextStream spec : bundle.manifest().text().streams()) {
        if (!"simple".equals(spec.tokenizer().kind())) {
          throw new BundleException("text stream '" + spec.name() + "' uses a '" + spec.tokenizer().kind()
              + "' tokenizer, which this version cannot run yet; use a bundle with a 'simple' tokenizer");
        }
        SimpleTokenizer tokenizer = SimpleTokenizer.load(bundle.directory().resolve(spec.tokenizer().file()));
        streams.add(new Stream(spec, tokenizer, env));
      }
    } catch (IOException | OrtException e) {
      close();
      throw new BundleException("cannot prepare the text streams of bundle '" + bundle.manifest().name() + "': "
          + e.getMessage(), e);
    }
  }

  /** Adds each stream's DiT inputs ({@code text_<stream>} and its mask) to {@code inputs}. */
  void addInputs(Map<String, OnnxTensor> inputs) {
    for (Stream s : streams) {
      inputs.put("text_" + s.spec.name(), s.embedsTensor);
      inputs.put("text_" + s.spec.name() + "_mask", s.maskTensor);
    }
  }

  String prompt() {
    return prompt;
  }

  /** What happened to the last prompt that a person should know (cut, shortened), or empty. */
  String notice() {
    return notice;
  }

  /**
   * Makes {@code text} the prompt the DiT sees from now on. A prompt longer than the manifest allows is cut, and
   * {@link #notice()} says where.
   *
   * @return true when an encoder graph had to run (a cache miss)
   */
  boolean setPrompt(String text, ModelBundle bundle, OrtEnvironment env) throws GraphRunException {
    String cleaned = text == null ? "" : text.strip();
    notice = "";
    if (cleaned.length() > maxPromptChars) {
      notice = "the prompt was cut to " + maxPromptChars + " characters (it had " + cleaned.length() + ")";
      cleaned = cleaned.substring(0, maxPromptChars);
    }
    if (cleaned.equals(prompt)) {
      return false;
    }
    prompt = cleaned;
    boolean ran = false;
    for (Stream s : streams) {
      float[] cached = s.cache.get(cleaned);
      int words = s.tokenizer.encode(cleaned, s.ids, s.mask);
      if (words > s.ids.length) {
        notice = "the prompt has " + words + " words; stream '" + s.spec.name() + "' reads the first " + s.ids.length;
      }
      if (cached == null) {
        cached = encode(s, bundle, env);
        s.cache.put(cleaned, cached);
        ran = true;
      }
      s.embeds.clear();
      s.embeds.put(cached).flip();
      s.maskFloats.clear();
      for (long m : s.mask) {
        s.maskFloats.put(m);
      }
      s.maskFloats.flip();
    }
    return ran;
  }

  private static float[] encode(Stream s, ModelBundle bundle, OrtEnvironment env) throws GraphRunException {
    String graphKey = "text_encoder_" + s.spec.name();
    long[] shape = {1, s.ids.length};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(s.ids), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(s.mask), shape);
        OrtSession.Result result = bundle.run(graphKey, Map.of("input_ids", ids, "attention_mask", mask))) {
      FloatBuffer out = ((OnnxTensor) result.get("embeds").orElseThrow()).getFloatBuffer();
      float[] copy = new float[out.remaining()];
      out.get(copy);
      return copy;
    } catch (OrtException e) {
      throw new GraphRunException(graphKey + ".onnx", e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Stream s : streams) {
      s.embedsTensor.close();
      s.maskTensor.close();
    }
    streams.clear();
  }
}
