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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.worldexplorer.runtime.bundle.BundleContract;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.DType;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.GraphSpec;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.PromptSpec;
import org.worldexplorer.runtime.bundle.TensorSpec;
import org.worldexplorer.runtime.bundle.TextSpec;
import org.worldexplorer.runtime.bundle.TextStream;
import org.worldexplorer.runtime.bundle.TokenizerSpec;

/**
 * The DiT's text inputs for the current prompt. Per text stream: prepare the prompt as the stream's kind says
 * (as typed, inside a template, or its quoted glyph text), tokenise to {@code max_tokens + crop_start}, run the
 * stream's encoder and drop the first {@code crop_start} rows; a stream without an encoder reads the bundle's
 * prompt cache, and a glyph stream without quoted text is all zeros. Inputs are kept by prepared text, so text
 * seen before costs a copy. Owns its tensors; generation thread only.
 */
final class TextConditioning implements AutoCloseable {

  /** How many cached prompts a message names. */
  private static final int NAMED_PROMPTS = 5;

  private final List<Stream> streams = new ArrayList<>();
  private final int maxPromptChars;
  private final PromptCache promptCache;
  private final List<String> uncoded = new ArrayList<>();
  private final TextEmbeddingCache diskCache;
  private String prompt;
  private String notice = "";
  private boolean encoderRan;

  private static final class Stream {
    final TextStream spec;
    /** Null for a stream without an encoder: its inputs come from the prompt cache. */
    final PromptTokenizer tokenizer;
    /** Token ids and attention mask the encoder reads: {@code max_tokens + crop_start}. */
    final long[] ids;
    final long[] mask;
    /** What the DiT reads, in float32: {@code max_tokens × dim} embeddings and {@code max_tokens} mask values. */
    final FloatBuffer embeds;
    final FloatBuffer ditMask;
    final BoundaryTensor embedsTensor;
    final BoundaryTensor ditMaskTensor;
    final float[] zero;
    /** Leading encoder rows dropped before the DiT (the manifest's, or counted with the tokenizer). */
    final int cropStart;
    /** Inputs by the text the tokenizer read. */
    final Map<String, float[]> memory = new HashMap<>();
    /** Inputs read from the prompt cache, by prompt. */
    final Map<String, float[]> cached = new HashMap<>();

    Stream(TextStream spec, PromptTokenizer tokenizer, GraphSpec dit, OrtEnvironment env) throws OrtException {
      this.spec = spec;
      this.tokenizer = tokenizer;
      cropStart = PromptPreparation.cropStart(spec, tokenizer);
      ids = new long[spec.encoderTokens(cropStart)];
      mask = new long[spec.encoderTokens(cropStart)];
      zero = DitTextInput.zero(spec.maxTokens(), spec.dim());
      embeds = NativeBuffers.floats((long) spec.maxTokens() * spec.dim());
      ditMask = NativeBuffers.floats(spec.maxTokens());
      // The DiT may take these in half precision (manifest dtype); the host keeps float32.
      embedsTensor = BoundaryTensor.create(env, dtype(dit, spec.ditInput()), embeds,
          new long[] {1, spec.maxTokens(), spec.dim()});
      try {
        ditMaskTensor = BoundaryTensor.create(env, dtype(dit, spec.ditMaskInput()), ditMask,
            new long[] {1, spec.maxTokens()});
      } catch (OrtException | RuntimeException e) {
        embedsTensor.close();
        throw e;
      }
    }

    private static DType dtype(GraphSpec dit, String input) {
      return dit.input(input).map(TensorSpec::dtype).orElseThrow(() -> new IllegalStateException(
          "the manifest's dit_chunk has no input " + input + " (the loader checks it)"));
    }

    void close() {
      embedsTensor.close();
      ditMaskTensor.close();
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  /**
   * @param diskCacheFolder where embeddings of past prompts are kept between runs, or null for memory only
   */
  TextConditioning(ModelBundle bundle, OrtEnvironment env, Path diskCacheFolder) throws BundleException {
    TextSpec text = bundle.manifest().text();
    maxPromptChars = text.maxPromptChars();
    diskCache = diskCacheFolder == null ? null : new TextEmbeddingCache(diskCacheFolder, bundle);
    GraphSpec dit = bundle.manifest().graph(BundleContract.DIT_CHUNK);
    PromptCache cache = null;
    try {
      Set<String> required = new LinkedHashSet<>();
      for (TextStream spec : text.streams()) {
        if (!spec.hasEncoder()) {
          required.add(spec.name());
        }
      }
      uncoded.addAll(required);
      if (text.promptCache() != null) {
        cache = PromptCache.open(bundle.directory(), text.promptCache(), text.streams(), required);
      }
      for (TextStream spec : text.streams()) {
        PromptTokenizer tokenizer = spec.hasEncoder() ? PromptTokenizer.open(spec.tokenizer(), bundle.directory())
            : null;
        try {
          streams.add(new Stream(spec, tokenizer, dit, env));
        } catch (OrtException | RuntimeException e) {
          if (tokenizer != null) {
            tokenizer.close();
          }
          throw e;
        }
      }
    } catch (IOException | OrtException e) {
      close();
      throw new BundleException("cannot prepare the text streams of bundle '" + bundle.manifest().name() + "': "
          + e.getMessage(), e);
    }
    promptCache = cache;
  }

  /** Adds each stream's DiT inputs ({@code text_<stream>} and its mask) to {@code inputs}. */
  void addInputs(Map<String, OnnxTensor> inputs) {
    for (Stream s : streams) {
      inputs.put(s.spec.ditInput(), s.embedsTensor.tensor());
      inputs.put(s.spec.ditMaskInput(), s.ditMaskTensor.tensor());
    }
  }

  String prompt() {
    return prompt;
  }

  int streamCount() {
    return streams.size();
  }

  /** The prompts of the bundle's prompt cache, in its order; empty when it has none. */
  List<String> cachedPrompts() {
    return promptCache == null ? List.of() : promptCache.prompts();
  }

  /**
   * Copies what stream {@code index} got for the current prompt: the token ids its encoder read
   * ({@code max_tokens + crop_start}; 0 for a cached or all-zero stream), and the mask and embeddings the DiT
   * reads ({@code max_tokens} and {@code max_tokens × dim}). For parity checks; allocates nothing.
   */
  void copyStream(int index, long[] idsOut, float[] maskOut, float[] embeddingsOut) {
    Stream s = streams.get(index);
    FloatBuffer embeds = s.embeds;
    FloatBuffer mask = s.ditMask;
    if (idsOut.length != s.ids.length || maskOut.length != mask.capacity()
        || embeddingsOut.length != embeds.capacity()) {
      throw new IllegalArgumentException("stream '" + s.spec.name() + "' needs " + s.ids.length + " ids, "
          + mask.capacity() + " mask values and " + embeds.capacity() + " embedding floats, got "
          + idsOut.length + ", " + maskOut.length + " and " + embeddingsOut.length);
    }
    System.arraycopy(s.ids, 0, idsOut, 0, s.ids.length);
    mask.get(0, maskOut);
    embeds.get(0, embeddingsOut);
  }

  /** What happened to the last prompt that a person should know (cut, unknown words, not cached), or empty. */
  String notice() {
    return notice;
  }

  /**
   * The session's first prompt. When a stream has no encoder and the prompt is not cached, the session starts
   * with the first cached prompt and {@link #notice()} says so.
   *
   * @throws BundleException when no prompt can be used at all (an unreadable prompt cache file)
   */
  void start(String text, ModelBundle bundle, OrtEnvironment env) throws GraphRunException, BundleException {
    setPrompt(text, bundle, env);
    if (prompt == null) {
      throw new BundleException("bundle '" + bundle.manifest().name() + "' cannot start: " + notice);
    }
  }

  /**
   * Makes {@code text} the prompt the DiT sees from now on. A prompt longer than the manifest allows is cut, and
   * {@link #notice()} says where. A prompt that a stream without encoder cannot take (not in the prompt cache)
   * leaves the previous prompt in place, and the notice names cached prompts.
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
    if (!uncoded.isEmpty() && !promptCache.contains(cleaned)) {
      String message = quote(cleaned) + " is not in this bundle's prompt cache, and it has no text encoder for "
          + describeStreams() + "; cached prompts: " + promptCache.describe(NAMED_PROMPTS);
      if (prompt != null) {
        notice = join(notice, message + "; the world keeps " + quote(prompt));
        return false;
      }
      cleaned = promptCache.prompts().get(0);
      notice = join(notice, message + "; starting with " + quote(cleaned));
    }
    if (streams.isEmpty() && !cleaned.isEmpty()) {
      notice = "this bundle has no text encoder: events do not change its world";
    }
    float[][] inputs = new float[streams.size()][];
    // Cached streams first: a bad cache file leaves every stream as it was.
    for (int i = 0; i < streams.size(); i++) {
      Stream s = streams.get(i);
      if (promptCache != null && promptCache.has(cleaned, s.spec.name())) {
        try {
          inputs[i] = cachedInput(s, cleaned);
        } catch (IOException e) {
          notice = join(notice, "cannot use the cached inputs of " + quote(cleaned) + " for stream '"
              + s.spec.name() + "': " + e.getMessage() + (prompt == null ? "" : "; the world keeps " + quote(prompt)));
          return false;
        }
      }
    }
    encoderRan = false;
    for (int i = 0; i < streams.size(); i++) {
      if (inputs[i] == null) {
        inputs[i] = encodedInput(streams.get(i), cleaned, bundle, env);
      }
    }
    for (int i = 0; i < streams.size(); i++) {
      Stream s = streams.get(i);
      DitTextInput.copyInto(inputs[i], s.embeds, s.ditMask);
      s.embedsTensor.toGraph();
      s.ditMaskTensor.toGraph();
    }
    prompt = cleaned;
    return encoderRan;
  }

  private float[] cachedInput(Stream s, String cleaned) throws IOException {
    Arrays.fill(s.ids, 0L);
    Arrays.fill(s.mask, 0L);
    float[] input = s.cached.get(cleaned);
    if (input == null) {
      input = promptCache.read(cleaned, s.spec.name());
      s.cached.put(cleaned, input);
    }
    return input;
  }

  private float[] encodedInput(Stream s, String cleaned, ModelBundle bundle, OrtEnvironment env)
      throws GraphRunException {
    PromptSpec kind = s.spec.prompt();
    Optional<String> prepared = PromptPreparation.textFor(kind, cleaned);
    if (prepared.isEmpty()) {
      Arrays.fill(s.ids, 0L);
      Arrays.fill(s.mask, 0L);
      return s.zero;
    }
    String tokenizerText = prepared.get();
    int tokens = s.tokenizer.encode(tokenizerText, s.ids, s.mask);
    if (tokens > s.ids.length) {
      notice = join(notice, cutNotice(s, cleaned, tokenizerText, tokens));
    } else if (!cleaned.isEmpty()) {
      List<String> unknown = s.tokenizer.unknownWords(kind.kind().equals(PromptSpec.QUOTED_GLYPHS) ? tokenizerText
          : cleaned);
      if (!unknown.isEmpty()) {
        notice = join(notice, "the model does not know " + describe(unknown) + "; those words have no effect");
      }
    }
    float[] input = s.memory.get(tokenizerText);
    if (input == null && diskCache != null) {
      input = diskCache.read(s.spec.name(), tokenizerText, DitTextInput.floats(s.spec.maxTokens(), s.spec.dim()));
      if (input != null) {
        s.memory.put(tokenizerText, input);
      }
    }
    if (input == null) {
      input = encode(s, bundle, env);
      s.memory.put(tokenizerText, input);
      if (diskCache != null) {
        diskCache.write(s.spec.name(), tokenizerText, input);
      }
      encoderRan = true;
    }
    return input;
  }

  private static String cutNotice(Stream s, String cleaned, String tokenizerText, int tokens) {
    return switch (s.spec.prompt().kind()) {
      case PromptSpec.TEMPLATE -> "the prompt and its instruction have " + tokens + " tokens; stream '"
          + s.spec.name() + "' reads " + s.ids.length + ", so the end of the prompt was cut";
      case PromptSpec.QUOTED_GLYPHS -> "the quoted text takes " + tokens + " tokens; stream '" + s.spec.name()
          + "' reads " + s.ids.length + (s.spec.tokenizer().kind().equals(TokenizerSpec.BYTES)
              ? ", so it was cut after \"" + shorten(BytesTokenizer.keptText(tokenizerText, s.ids.length), true) + "\""
              : ", so its end was cut");
      default -> "the prompt has " + tokens + " tokens; the model reads the first " + s.ids.length
          + ", so it was cut after \"" + cutPoint(s, cleaned) + "\"";
    };
  }

  private String describeStreams() {
    return (uncoded.size() == 1 ? "stream '" : "streams '") + String.join("', '", uncoded) + "'";
  }

  private static String quote(String prompt) {
    return "\"" + shorten(prompt, false) + "\"";
  }

  /** At most 40 characters of a prompt for a message: its start, or its end when {@code end}. */
  private static String shorten(String text, boolean end) {
    if (text.length() <= 40) {
      return text;
    }
    return end ? "..." + text.substring(text.length() - 40) : text.substring(0, 40) + "...";
  }

  private static String join(String notice, String more) {
    return notice.isEmpty() ? more : notice + "; " + more;
  }

  /** At most five words, each at most 20 characters, so a pasted wall of text stays readable. */
  private static String describe(List<String> words) {
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

  /** Runs the stream's encoder on its ids and keeps rows {@code crop_start …} of the output and mask. */
  private static float[] encode(Stream s, ModelBundle bundle, OrtEnvironment env) throws GraphRunException {
    String graphKey = s.spec.graphKey();
    long[] shape = {1, s.ids.length};
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(s.ids), shape);
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(s.mask), shape);
        OrtSession.Result result = bundle.run(graphKey, Map.of("input_ids", ids, "attention_mask", mask))) {
      // A half-precision output comes back converted to float32.
      FloatBuffer out = ((OnnxTensor) result.get("embeds").orElseThrow()).getFloatBuffer();
      return DitTextInput.fromEncoder(out, s.mask, s.cropStart, s.spec.maxTokens(), s.spec.dim());
    } catch (OrtException | IllegalArgumentException e) {
      throw new GraphRunException(graphKey + ".onnx", e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (Stream s : streams) {
      s.close();
    }
    streams.clear();
  }
}
