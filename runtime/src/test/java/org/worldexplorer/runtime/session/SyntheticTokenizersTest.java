package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;

/**
 * The hand-written tokenizer.json files of {@code worldexplorer_models.synthetic_tokenizers}, which synthetic
 * checkpoints carry in place of Qwen's and UMT5's, load in DJL's tokenizers as the host uses them: the chat
 * template's special tokens keep Qwen2's ids (so crop_start ends after "<|im_start|>user\n"), UMT5's ends each
 * prompt with "</s>", and every id lies inside the synthetic embedding tables. Skips when /usr/bin/python3 cannot
 * import torch, unless WORLDEXPLORER_REQUIRE_ALL_TESTS is set.
 */
class SyntheticTokenizersTest {

  private static final long QWEN_VOCAB = 152064;
  private static final long UMT5_VOCAB = 256384;

  @TempDir Path dir;

  private void write() throws Exception {
    ModelsPython.require("the synthetic tokenizers", List.of("torch"), "python3-torch");
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "worldexplorer_models.synthetic_tokenizers",
        "--out", dir.toAbsolutePath().toString()), 120);
  }

  private static long[] encode(PromptTokenizer tokenizer, String text) {
    long[] ids = new long[4 * text.length() + 8];
    long[] mask = new long[ids.length];
    int n = tokenizer.encode(text, ids, mask);
    return Arrays.copyOf(ids, n);
  }

  @Test
  void theQwenChatTokenizerMarksTheUserTurnWithQwensIds() throws Exception {
    write();
    try (HuggingFacePromptTokenizer tokenizer = HuggingFacePromptTokenizer.load(dir.resolve("qwen_chat.json"))) {
      String prefix = "<|im_start|>system\nDescribe the video.<|im_end|>\n<|im_start|>user\n";
      long[] ids = encode(tokenizer, prefix);
      assertEquals(151644, ids[0], "<|im_start|>");
      assertArrayEquals(new long[] {151645, 198, 151644, 872, 198}, Arrays.copyOfRange(ids, ids.length - 5,
          ids.length), "<|im_end|> \\n <|im_start|> user \\n: " + Arrays.toString(ids));
      // Byte-level symbols at GPT-2's ids: "a" is byte 97 (id 64), a space before a word is "Ġ" (220).
      assertArrayEquals(new long[] {64, 220, 65}, encode(tokenizer, "a b"));
      long[] prompt = encode(tokenizer, "A storm rolls in over the sea, \"WELCOME\" é 雪");
      assertTrue(prompt.length > 20, "every byte is a token: " + prompt.length);
      assertTrue(Arrays.stream(prompt).allMatch(id -> id >= 0 && id < 1000), "bytes and merges only: "
          + Arrays.toString(prompt));
      assertEquals(List.of(), tokenizer.unknownWords("anything at all"));
      assertTrue(Arrays.stream(ids).allMatch(id -> id < QWEN_VOCAB));
    }
  }

  @Test
  void theUmt5TokenizerEndsWithEosAndKnowsItsWords() throws Exception {
    write();
    JsonNode vocab = new ObjectMapper().readTree(dir.resolve("umt5.json").toFile()).get("model").get("vocab");
    try (HuggingFacePromptTokenizer tokenizer = HuggingFacePromptTokenizer.load(dir.resolve("umt5.json"))) {
      long[] ids = encode(tokenizer, "a storm rolls in");
      assertArrayEquals(new long[] {piece(vocab, "▁a"), piece(vocab, "▁storm"), piece(vocab, "▁rolls"),
          piece(vocab, "▁in"), 1}, ids, "whole words, then </s>");
      long[] spelled = encode(tokenizer, "Zq 42!");
      assertEquals(1, spelled[spelled.length - 1], "</s> last");
      assertTrue(Arrays.stream(spelled).allMatch(id -> id > 2 && id < vocab.size() || id == 1),
          "spelled from single characters, none unknown: " + Arrays.toString(spelled));
      assertArrayEquals(new long[] {piece(vocab, "▁snow"), piece(vocab, "▁"), 2, 1}, encode(tokenizer, "snow é"),
          "a character outside the vocabulary is <unk> (2)");
      assertEquals(List.of("é"), tokenizer.unknownWords("snow é"), "the notice names the unknown text");
      assertTrue(vocab.size() < UMT5_VOCAB);
    }
  }

  private static long piece(JsonNode vocab, String text) {
    for (int i = 0; i < vocab.size(); i++) {
      if (vocab.get(i).get(0).asText().equals(text)) {
        return i;
      }
    }
    throw new AssertionError(text + " is not in the UMT5 vocabulary");
  }
}
