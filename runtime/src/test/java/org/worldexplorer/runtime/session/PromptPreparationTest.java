package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.bundle.PromptSpec;

/** The bundle format's prompt kinds: what each stream's tokenizer reads for a typed prompt. */
class PromptPreparationTest {

  private static final String TEMPLATE = "<|im_start|>system\nDescribe the video.<|im_end|>\n<|im_start|>user\n"
      + "{prompt}<|im_end|>\n<|im_start|>assistant\n";

  @Test
  void aPlainStreamReadsThePromptAsTyped() {
    assertEquals(Optional.of("a storm rolls in"), PromptPreparation.textFor(PromptSpec.plain(), "a storm rolls in"));
    assertEquals(Optional.of(""), PromptPreparation.textFor(PromptSpec.plain(), ""));
  }

  @Test
  void aTemplateStreamFillsItsPlaceholderWithThePromptAsItIs() {
    PromptSpec template = new PromptSpec("template", TEMPLATE, 5);
    assertEquals(Optional.of("<|im_start|>system\nDescribe the video.<|im_end|>\n<|im_start|>user\n"
        + "fog{prompt}<|im_end|>\n<|im_start|>assistant\n"), PromptPreparation.textFor(template, "fog{prompt}"),
        "the prompt is inserted as it is, never scanned for another placeholder");
  }

  @Test
  void anEmptyPromptBecomesASingleSpaceInATemplate() {
    assertEquals(Optional.of("[ ]"), PromptPreparation.textFor(new PromptSpec("template", "[{prompt}]", 0), ""));
  }

  @Test
  void aGlyphStreamReadsTheQuotedTextOrNothing() {
    PromptSpec glyphs = new PromptSpec("quoted_glyphs", null, 0);
    assertEquals(Optional.of("Text \"OPEN\". "), PromptPreparation.textFor(glyphs, "a shop sign \u201cOPEN\u201d"));
    assertEquals(Optional.empty(), PromptPreparation.textFor(glyphs, "a shop sign"));
  }
}
