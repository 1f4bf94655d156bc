package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuggingFacePromptTokenizerTest {

  @TempDir Path dir;

  /** A word-level tokenizer.json written by hand: lower-case, split on whitespace, unknown words to [UNK]. */
  private Path wordLevel() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, """
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
         "normalizer": {"type": "Lowercase"},
         "pre_tokenizer": {"type": "Whitespace"},
         "post_processor": null, "decoder": null,
         "model": {"type": "WordLevel", "unk_token": "[UNK]",
                   "vocab": {"[UNK]": 0, "a": 1, "storm": 2, "rolls": 3, "in": 4}}}
        """);
    return file;
  }

  @Test
  void encodesPadsAndCutsToTheStreamLength() throws Exception {
    try (HuggingFacePromptTokenizer tokenizer = HuggingFacePromptTokenizer.load(wordLevel())) {
      long[] ids = new long[8];
      long[] mask = new long[8];
      assertEquals(5, tokenizer.encode("A storm ROLLS in now", ids, mask));
      assertArrayEquals(new long[] {1, 2, 3, 4, 0, 0, 0, 0}, ids);
      assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 0, 0}, mask);
      long[] shortIds = new long[3];
      long[] shortMask = new long[3];
      assertEquals(5, tokenizer.encode("A storm ROLLS in now", shortIds, shortMask), "count before the cut");
      assertArrayEquals(new long[] {1, 2, 3}, shortIds);
      assertEquals(java.util.List.of("[UNK]"), tokenizer.unknownWords("a storm now"));
    }
  }

  /** A Unigram model (as T5's and UMT5's) reports an unknown piece by its text, with the model's unk_id. */
  @Test
  void aUnigramModelsUnknownTextIsNamed() throws Exception {
    Path file = dir.resolve("unigram.json");
    Files.writeString(file, """
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
         "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": true},
         "post_processor": null, "decoder": null,
         "model": {"type": "Unigram", "unk_id": 1, "byte_fallback": false,
                   "vocab": [["<pad>", 0.0], ["<unk>", 0.0], ["\u2581", -2.0], ["\u2581snow", -3.0],
                             ["s", -5.0], ["n", -5.0], ["o", -5.0], ["w", -5.0]]}}
        """);
    try (HuggingFacePromptTokenizer tokenizer = HuggingFacePromptTokenizer.load(file)) {
      long[] ids = new long[4];
      long[] mask = new long[4];
      assertEquals(3, tokenizer.encode("snow \u00e9", ids, mask));
      assertArrayEquals(new long[] {3, 2, 1, 0}, ids, "\u2581snow, \u2581, <unk>");
      assertEquals(java.util.List.of("\u00e9"), tokenizer.unknownWords("snow \u00e9 snow"));
      assertEquals(java.util.List.of(), tokenizer.unknownWords("snow sown"));
    }
  }

  @Test
  void aFileThatIsNotATokenizerSaysSo() throws Exception {
    Path bad = dir.resolve("broken.json");
    Files.writeString(bad, "{\"hello\": 1}");
    IOException e = assertThrows(IOException.class, () -> HuggingFacePromptTokenizer.load(bad));
    assertTrue(e.getMessage().contains("not a tokenizer.json this program can read"), e.getMessage());
  }
}
