package org.worldexplorer.runtime.session;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A Hugging Face {@code tokenizer.json} through DJL's native tokenizers library. */
final class HuggingFacePromptTokenizer implements PromptTokenizer {

  private final HuggingFaceTokenizer tokenizer;

  private HuggingFacePromptTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  static HuggingFacePromptTokenizer load(Path file) throws IOException {
    try {
      // The host pads and cuts to the stream's length itself, so the library must do neither.
      return new HuggingFacePromptTokenizer(HuggingFaceTokenizer.newInstance(file,
          Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true")));
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a tokenizer.json this program can read (" + e.getMessage() + ")", e);
    }
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
    return java.util.Arrays.stream(tokens).filter(t -> t.equals("[UNK]") || t.equals("<unk>")).toList();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
