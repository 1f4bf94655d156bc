package org.worldexplorer.runtime.bundle;

/**
 * The tokenizer of one text stream.
 *
 * @param kind {@code huggingface} (a {@code tokenizer.json}) or {@code simple} (the bundle format's word list)
 * @param file the tokenizer file inside the bundle folder
 */
public record TokenizerSpec(String kind, String file) {

  /** A Hugging Face {@code tokenizer.json}. */
  public static final String HUGGINGFACE = "huggingface";
  /** The bundle format's lower-case word list. */
  public static final String SIMPLE = "simple";

  public TokenizerSpec {
    Require.present(kind, "tokenizer.kind");
    if (!kind.equals(HUGGINGFACE) && !kind.equals(SIMPLE)) {
      throw new IllegalArgumentException("tokenizer.kind must be \"" + HUGGINGFACE + "\" or \"" + SIMPLE
          + "\", got \"" + kind + "\"");
    }
    Require.plainFile(file, "tokenizer.file");
  }
}
