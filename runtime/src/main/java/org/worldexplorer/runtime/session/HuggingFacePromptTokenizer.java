package org.worldexplorer.runtime.session;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A Hugging Face {@code tokenizer.json} through DJL's native tokenizers library. */
final class HuggingFacePromptTokenizer implements PromptTokenizer {

  private final HuggingFaceTokenizer tokenizer;
  /** The model's unknown-token id, or -1: a Unigram model (T5, UMT5) names the unknown text itself, not its token. */
  private final long unknownId;

  private HuggingFacePromptTokenizer(HuggingFaceTokenizer tokenizer, long unknownId) {
    this.tokenizer = tokenizer;
    this.unknownId = unknownId;
  }

  static HuggingFacePromptTokenizer load(Path file) throws IOException {
    long unknownId = unknownId(file);
    try {
      // The host pads and cuts to the stream's length itself, so the library must do neither.
      return new HuggingFacePromptTokenizer(HuggingFaceTokenizer.newInstance(file,
          Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true")), unknownId);
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a tokenizer.json this program can read (" + e.getMessage() + ")", e);
    }
  }

  private static long unknownId(Path file) throws IOException {
    JsonNode id;
    try {
      id = new ObjectMapper().readTree(file.toFile()).path("model").path("unk_id");
    } catch (IOException e) {
      throw new IOException(file + ": not a tokenizer.json this program can read (" + e.getMessage() + ")", e);
    }
    return id.canConvertToLong() ? id.asLong() : -1;
  }

  @Override
  public int encode(String text, long[] ids, long[] mask) {
    java.util.Arrays.fill(ids, 0L);
    java.util.Arrays.fill(mask, 0L);
    Encoding encoding = tokenizer.encode(text);
    long[] tokens = encoding.getIds();
    int n = Math.min(tokens.length, ids.length);
    System.arraycopy(tokens, 0, ids, 0, n);
    java.util.Arrays.fill(mask, 0, n, 1L);
    return tokens.length;
  }

  @Override
  public List<String> unknownWords(String text) {
    Encoding encoding = tokenizer.encode(text);
    String[] tokens = encoding.getTokens();
    long[] ids = encoding.getIds();
    return java.util.stream.IntStream.range(0, tokens.length)
        .filter(i -> ids[i] == unknownId || tokens[i].equals("[UNK]") || tokens[i].equals("<unk>"))
        .mapToObj(i -> tokens[i]).toList();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
