package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bundle format's {@code simple} tokenizer: lower-case, split on anything that is not a letter or digit, map
 * words to their index in the vocabulary (unknown words to 1), pad with 0 to the stream's token count.
 */
public final class SimpleTokenizer implements PromptTokenizer {

  private final Map<String, Integer> ids = new HashMap<>();

  private SimpleTokenizer() {}

  public static SimpleTokenizer load(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root == null || !"simple".equals(root.path("kind").asText()) || !root.path("vocab").isArray()) {
      throw new IOException(file + ": not a simple tokenizer file (expected {\"kind\": \"simple\", \"vocab\": [...]})");
    }
    SimpleTokenizer tokenizer = new SimpleTokenizer();
    JsonNode vocab = root.get("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      tokenizer.ids.putIfAbsent(vocab.get(i).asText(), i);
    }
    return tokenizer;
  }

  /**
   * Writes the ids and attention mask of {@code text} into arrays of the stream's token count.
   *
   * @return the number of words in the prompt; more than {@code ids.length} means it was cut
   */
  @Override
  public int encode(String text, long[] idsOut, long[] maskOut) {
    java.util.Arrays.fill(idsOut, 0L);
    java.util.Arrays.fill(maskOut, 0L);
    int words = 0;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (words < idsOut.length) {
        idsOut[words] = ids.getOrDefault(word, 1);
        maskOut[words] = 1;
      }
      words++;
    }
    return words;
  }

  @Override
  public java.util.List<String> unknownWords(String text) {
    java.util.List<String> unknown = new java.util.ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{Nd}]+")) {
      if (!word.isEmpty() && !ids.containsKey(word) && !unknown.contains(word)) {
        unknown.add(word);
      }
    }
    return unknown;
  }

  @Override
  public void close() {}
}
