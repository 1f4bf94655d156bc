package org.worldexplorer.runtime.session;

import java.util.Optional;

/**
 * How one text stream turns the typed prompt into the text its tokenizer reads (the bundle format's "Prompt
 * preparation"), and how many leading encoder rows the host drops afterwards.
 */
final class PromptPreparation {

  static final String PLAIN = "plain";
  static final String TEMPLATE = "template";
  static final String QUOTED_GLYPHS = "quoted_glyphs";
  static final String PLACEHOLDER = "{prompt}";

  private final String kind;
  private final String template;
  private final int cropStart;

  private PromptPreparation(String kind, String template, int cropStart) {
    this.kind = kind;
    this.template = template;
    this.cropStart = cropStart;
  }

  /**
   * @param template the text around {@code {prompt}} for kind {@code template}, otherwise null
   * @param cropStart leading encoder rows to drop; only kind {@code template} may have more than 0
   * @throws IllegalArgumentException naming the rule the stream breaks
   */
  static PromptPreparation of(String kind, String template, int cropStart) {
    if (cropStart < 0) {
      throw new IllegalArgumentException("prompt.crop_start must be 0 or more, got " + cropStart);
    }
    switch (kind) {
      case TEMPLATE -> {
        if (template == null || template.indexOf(PLACEHOLDER) < 0
            || template.indexOf(PLACEHOLDER) != template.lastIndexOf(PLACEHOLDER)) {
          throw new IllegalArgumentException("a \"template\" prompt needs a template with exactly one " + PLACEHOLDER
              + ", got " + (template == null ? "null" : "\"" + template + "\""));
        }
      }
      case PLAIN, QUOTED_GLYPHS -> {
        if (template != null || cropStart != 0) {
          throw new IllegalArgumentException("a \"" + kind + "\" prompt has template null and crop_start 0, got "
              + (template == null ? "null" : "a template") + " and " + cropStart);
        }
      }
      default -> throw new IllegalArgumentException("prompt.kind must be \"" + PLAIN + "\", \"" + TEMPLATE
          + "\" or \"" + QUOTED_GLYPHS + "\", got \"" + kind + "\"");
    }
    return new PromptPreparation(kind, template, cropStart);
  }

  String kind() {
    return kind;
  }

  /** Leading encoder rows (the instruction before the prompt) that the DiT does not see. */
  int cropStart() {
    return cropStart;
  }

  /** Tokens the encoder reads: the stream's {@code max_tokens} plus {@link #cropStart()}. */
  int encoderTokens(int maxTokens) {
    return Math.addExact(maxTokens, cropStart);
  }

  /**
   * The text the stream's tokenizer reads for {@code prompt}, or empty when the stream's embeddings and mask are
   * all zero and its encoder does not run (a glyph stream without quoted text).
   */
  Optional<String> textFor(String prompt) {
    return switch (kind) {
      case PLAIN -> Optional.of(prompt);
      case TEMPLATE -> Optional.of(fill(prompt.isEmpty() ? " " : prompt));
      default -> {
        String glyphs = GlyphText.format(prompt);
        yield glyphs.isEmpty() ? Optional.empty() : Optional.of(glyphs);
      }
    };
  }

  /** The template with its one placeholder replaced; the prompt itself is not scanned for placeholders. */
  private String fill(String prompt) {
    int at = template.indexOf(PLACEHOLDER);
    return template.substring(0, at) + prompt + template.substring(at + PLACEHOLDER.length());
  }
}
