package org.worldexplorer.runtime.bundle;

/**
 * How the typed prompt becomes the text one stream's tokenizer sees (bundle format: "Prompt preparation").
 *
 * @param kind {@code plain} (as typed), {@code template} (put into {@code template} at its one {@code {prompt}})
 *     or {@code quoted_glyphs} (only the quoted pieces, as {@code Text "<piece>". })
 * @param template the text around the prompt for {@code template}; null for the other kinds
 * @param cropStart leading encoder rows the host drops (the instruction of a template); 0 for the other kinds. Null
 *     for a template means the host counts the tokens of the template's text before {@code {prompt}} with the
 *     stream's tokenizer (an exporter without that tokenizer cannot)
 */
public record PromptSpec(String kind, String template, Integer cropStart) {

  /** The prompt as typed. */
  public static final String PLAIN = "plain";
  /** The prompt inside a template whose first {@code cropStart} encoder rows are dropped. */
  public static final String TEMPLATE = "template";
  /** The quoted pieces of the prompt, for a glyph stream. */
  public static final String QUOTED_GLYPHS = "quoted_glyphs";
  /** Where a template takes the prompt. */
  public static final String PLACEHOLDER = "{prompt}";

  public PromptSpec {
    Require.present(kind, "prompt.kind");
    if (!kind.equals(PLAIN) && !kind.equals(TEMPLATE) && !kind.equals(QUOTED_GLYPHS)) {
      throw new IllegalArgumentException("prompt.kind must be \"" + PLAIN + "\", \"" + TEMPLATE + "\" or \""
          + QUOTED_GLYPHS + "\", got \"" + kind + "\"");
    }
    if (cropStart == null && !kind.equals(TEMPLATE)) {
      throw new IllegalArgumentException("prompt.crop_start must be 0 for kind \"" + kind + "\"; only kind \""
          + TEMPLATE + "\" may leave it null (counted by the host)");
    }
    if (cropStart != null && cropStart < 0) {
      throw new IllegalArgumentException("prompt.crop_start must be 0 or more, got " + cropStart);
    }
    if (kind.equals(TEMPLATE)) {
      Require.present(template, "prompt.template (kind \"template\")");
      int count = occurrences(template, PLACEHOLDER);
      if (count != 1) {
        throw new IllegalArgumentException("prompt.template must contain \"" + PLACEHOLDER + "\" exactly once (where"
            + " the typed prompt goes), found it " + count + " times");
      }
    } else {
      if (template != null) {
        throw new IllegalArgumentException("prompt.template must be null for kind \"" + kind + "\"; only kind \""
            + TEMPLATE + "\" has a template");
      }
      if (cropStart != 0) {
        throw new IllegalArgumentException("prompt.crop_start must be 0 for kind \"" + kind + "\", got " + cropStart
            + "; only kind \"" + TEMPLATE + "\" drops leading rows");
      }
    }
  }

  /** True when the host counts crop_start itself: the tokens of the template's text before the prompt. */
  public boolean cropCountedByHost() {
    return cropStart == null;
  }

  /** The template's text before {@code {prompt}}; empty for the other kinds. */
  public String templatePrefix() {
    return template == null ? "" : template.substring(0, template.indexOf(PLACEHOLDER));
  }

  /** A stream that tokenises the prompt as typed. */
  public static PromptSpec plain() {
    return new PromptSpec(PLAIN, null, 0);
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}
