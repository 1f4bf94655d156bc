package org.worldexplorer.runtime.session;

import java.util.Optional;
import org.worldexplorer.runtime.bundle.PromptSpec;
import org.worldexplorer.runtime.bundle.TextStream;

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

  /**
   * The leading encoder rows the stream drops: the manifest's crop_start, or, when the host is to count it, the
   * number of tokens the tokenizer makes of the template's text before {@code {prompt}} (upstream drops exactly
   * the instruction and the user marker that end there).
   */
  static int cropStart(TextStream stream, PromptTokenizer tokenizer) {
    PromptSpec spec = stream.prompt();
    if (!spec.cropCountedByHost()) {
      return spec.cropStart();
    }
    if (tokenizer == null) {
      throw new IllegalStateException("text stream '" + stream.name() + "' has no tokenizer to count its template's"
          + " crop_start with; give the manifest a crop_start number");
    }
    String prefix = spec.templatePrefix();
    long[] ids = new long[prefix.length() + 2];
    long[] mask = new long[ids.length];
    return tokenizer.encode(prefix, ids, mask);
  }

  /** The template with its one placeholder replaced; the prompt itself is not scanned for placeholders. */
  private static String fill(String template, String prompt) {
    int at = template.indexOf(PromptSpec.PLACEHOLDER);
    return template.substring(0, at) + prompt + template.substring(at + PromptSpec.PLACEHOLDER.length());
  }
}
