package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.GraphSpec;
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
    final PromptTokenizer tokenizer;
    final long[] ids;
    final long[] mask;
    final FloatBuffer embeds;
    final FloatBuffer maskFloats;
    final BoundaryTensor embedsTensor;
    final BoundaryTensor maskTensor;
    final Map<String, float[]> cache = new HashMap<>();

    Stream(TextStream spec, PromptTokenizer tokenizer, GraphSpec dit, OrtEnvironment env) throws OrtException {
      this.spec = spec;
      this.tokenizer = tokenizer;
      ids = new long[spec.maxTokens()];
      mask = new long[spec.maxTokens()];
      embeds = NativeBuffers.floats((long) spec.maxTokens() * spec.dim());
      maskFloats = NativeBuffers.floats(spec.maxTokens());
      // The DiT may take these in half precision (manifest dtype); the host keeps float32.
      embedsTensor = BoundaryTensor.create(env, dit.input(spec.ditInput()).orElseThrow().dtype(), embeds,
          new long[] {1, spec.maxTokens(), spec.dim()});
      maskTensor = BoundaryTensor.create(env, dit.input(spec.ditMaskInput()).orElseThrow().dtype(), maskFloats,
          new long[] {1, spec.maxTokens()});
    }
  }

  private final TextEmbeddingCache diskCache;

  /**
   * @param diskCacheFolder where embeddings of past prompts are kept between runs, or null for memory only
   */
  TextConditioning(ModelBundle bundle, OrtEnvironment env, Path diskCacheFolder) throws BundleException {
    maxPromptChars = bundle.manifest().text().maxPromptChars();
    diskCache = diskCacheFolder == null ? null : new TextEmbeddingCache(diskCacheFolder, bundle);
    try {
      for (TextStream spec : bundle.manifest().text().streams()) {
        PromptTokenizer tokenizer = PromptTokenizer.open(spec.tokenizer(), bundle.directory());
        streams.add(new Stream(spec, tokenizer, bundle.manifest().graph("dit_chunk"), env));
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
      inputs.put("text_" + s.spec.name(), s.embedsTensor.tensor());
      inputs.put("text_" + s.spec.name() + "_mask", s.maskTensor.tensor());
    }
  }

  String prompt() {
    return prompt;
  }

  int streamCount() {
    return streams.size();
  }

  /**
   * Copies what the DiT reads for stream {@code index} from the next chunk on: the token ids, the mask as the
   * DiT gets it (floats) and the embeddings. For parity checks against a reference; allocates nothing.
   */
  void copyStream(int index, long[] idsOut, float[] maskOut, float[] embeddingsOut) {
    Stream s = streams.get(index);
    if (idsOut.length != s.ids.length || maskOut.length != s.ids.length
        || embeddingsOut.length != s.embeds.capacity()) {
      throw new IllegalArgumentException("stream '" + s.spec.name() + "' needs " + s.ids.length + " ids, "
          + s.ids.length + " mask values and " + s.embeds.capacity() + " embedding floats, got "
          + idsOut.length + ", " + maskOut.length + " and " + embeddingsOut.length);
    }
    System.arraycopy(s.ids, 0, idsOut, 0, s.ids.length);
    s.maskFloats.get(0, maskOut);
    s.embeds.get(0, embeddingsOut);
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
    if (streams.isEmpty() && !cleaned.isEmpty()) {
      notice = "this bundle has no text encoder: events do not change its world";
    }
    for (Stream s : streams) {
      float[] cached = s.cache.get(cleaned);
      int tokens = s.tokenizer.encode(cleaned, s.ids, s.mask);
      if (tokens > s.ids.length) {
        notice = join(notice, "the prompt has " + tokens + " tokens; the model reads the first " + s.ids.length
            + ", so it was cut after \"" + cutPoint(s, cleaned) + "\"");
      } else if (!cleaned.isEmpty()) {
        java.util.List<String> unknown = s.tokenizer.unknownWords(cleaned);
        if (!unknown.isEmpty()) {
          notice = join(notice, "the model does not know " + describe(unknown) + "; those words have no effect");
        }
      }
      if (cached == null && diskCache != null) {
        cached = diskCache.read(s.spec.name(), cleaned, s.embeds.capacity());
        if (cached != null) {
          s.cache.put(cleaned, cached);
        }
      }
      if (cached == null) {
        cached = encode(s, bundle, env);
        s.cache.put(cleaned, cached);
        if (diskCache != null) {
          diskCache.write(s.spec.name(), cleaned, cached);
        }
        ran = true;
      }
      s.embeds.clear();
      s.embeds.put(cached).flip();
      s.maskFloats.clear();
      for (long m : s.mask) {
        s.maskFloats.put(m);
      }
      s.maskFloats.flip();
      s.embedsTensor.toGraph();
      s.maskTensor.toGraph();
    }
    return ran;
  }

  private static String join(String notice, String more) {
    return notice.isEmpty() ? more : notice + "; " + more;
  }

  /** At most five words, each at most 20 characters, so a pasted wall of text stays readable. */
  private static String describe(java.util.List<String> words) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(5, words.size()); i++) {
      String w = words.get(i);
      out.append(i == 0 ? "" : ", ").append(w.length() > 20 ? w.substring(0, 20) + "..." : w);
    }
    return words.size() > 5 ? out + " and " + (words.size() - 5) + " more" : out.toString();
  }

  /** The words of the prompt that still fit, for the notice (simple tokenizers count words, one per token). */
  private static String cutPoint(Stream s, String prompt) {
    String[] words = prompt.split("\\s+");
    int keep = Math.min(words.length, s.ids.length);
    return keep == 0 ? "" : words[keep - 1];
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
      s.tokenizer.close();
    }
    streams.clear();
  }
}
