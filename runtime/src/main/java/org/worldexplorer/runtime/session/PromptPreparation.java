package org.worldexplorer.runtime.session;

import java.util.Optional;
import org.worldexplorer.runtime.bundle.PromptSpec;

/**
 * How one text stream turns the typed prompt into the text its tokenizer reads (the bundle format's "Prompt
 * preparation"). {@link PromptSpec} has already checked the kind, the template and crop_start.
 */
final class PromptPreparation {

  private PromptPreparation() {}

  /**
   * The text the stream's tokenizer reads for {@code prompt}, or empty when the stream's embeddings and mask are
   * all zero and its encoder does not run (a glyph stream without quoted text).
   */
  static Optional<String> textFor(PromptSpec spec, String prompt) {
    return switch (spec.kind()) {
      case PromptSpec.PLAIN -> Optional.of(prompt);
      case PromptSpec.TEMPLATE -> Optional.of(fill(spec.template(), prompt.isEmpty() ? " " : prompt));
      case PromptSpec.QUOTED_GLYPHS -> {
        String glyphs = GlyphText.format(prompt);
        yield glyphs.isEmpty() ? Optional.empty() : Optional.of(glyphs);
      }
      default -> throw new IllegalArgumentException("unknown prompt kind \"" + spec.kind() + "\"");
    };
  }

  /** The template with its one placeholder replaced; the prompt itself is not scanned for placeholders. */
  private static String fill(String template, String prompt) {
    int at = template.indexOf(PromptSpec.PLACEHOLDER);
    return template.substring(0, at) + prompt + template.substring(at + PromptSpec.PLACEHOLDER.length());
  }
}
