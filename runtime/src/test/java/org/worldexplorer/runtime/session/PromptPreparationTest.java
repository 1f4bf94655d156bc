package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bundle format's prompt kinds: what each stream's tokenizer reads for a typed prompt. */
class PromptPreparationTest {

  private static final String TEMPLATE = "<|im_start|>system\nDescribe the video.<|im_end|>\n<|im_start|>user\n"
      + "{prompt}<|im_end|>\n<|im_start|>assistant\n";

  @Test
  void aPlainStreamReadsThePromptAsTyped() {
    PromptPreparation plain = PromptPreparation.of("plain", null, 0);
    assertEquals(Optional.of("a storm rolls in"), plain.textFor("a storm rolls in"));
    assertEquals(Optional.of(""), plain.textFor(""));
    assertEquals(8, plain.encoderTokens(8));
  }

  @Test
  void aTemplateStreamFillsItsPlaceholderAndReadsCropStartMoreTokens() {
    PromptPreparation template = PromptPreparation.of("template", TEMPLATE, 5);
    assertEquals(Optional.of("<|im_start|>system\nDescribe the video.<|im_end|>\n<|im_start|>user\n"
        + "fog{prompt}<|im_end|>\n<|im_start|>assistant\n"), template.textFor("fog{prompt}"),
        "the prompt is inserted as it is, never scanned for another placeholder");
    assertEquals(5, template.cropStart());
    assertEquals(13, template.encoderTokens(8));
  }

  @Test
  void anEmptyPromptBecomesASingleSpaceInATemplate() {
    PromptPreparation template = PromptPreparation.of("template", "[{prompt}]", 0);
    assertEquals(Optional.of("[ ]"), template.textFor(""));
  }

  @Test
  void aGlyphStreamReadsTheQuotedTextOrNothing() {
    PromptPreparation glyphs = PromptPreparation.of("quoted_glyphs", null, 0);
    assertEquals(Optional.of("Text \"OPEN\". "), glyphs.textFor("a shop sign \u201cOPEN\u201d"));
    assertEquals(Optional.empty(), glyphs.textFor("a shop sign"));
  }

  @Test
  void aStreamThatBreaksTheRulesIsRefusedWithTheRule() {
    String noPlaceholder = assertThrows(IllegalArgumentException.class,
        () -> PromptPreparation.of("template", "no placeholder", 0)).getMessage();
    assertTrue(noPlaceholder.contains("exactly one {prompt}"), noPlaceholder);
    assertThrows(IllegalArgumentException.class, () -> PromptPreparation.of("template", "{prompt}{prompt}", 0));
    String crop = assertThrows(IllegalArgumentException.class,
        () -> PromptPreparation.of("plain", null, 3)).getMessage();
    assertTrue(crop.contains("crop_start 0"), crop);
    String kind = assertThrows(IllegalArgumentException.class,
        () -> PromptPreparation.of("chat", null, 0)).getMessage();
    assertTrue(kind.contains("\"chat\""), kind);
  }
}
