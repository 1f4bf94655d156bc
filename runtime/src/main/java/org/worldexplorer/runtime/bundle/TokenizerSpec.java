package org.worldexplorer.runtime.bundle;

/**
 * The tokenizer of one text stream.
 *
 * @param kind {@code huggingface} (a {@code tokenizer.json}), {@code simple} (the bundle format's word list) or
 *     {@code bytes} (byte-level, as byT5; no file)
 * @param file the tokenizer file inside the bundle folder; null exactly for {@code bytes}
 */
public record TokenizerSpec(String kind, String file) {

  /** A Hugging Face {@code tokenizer.json}. */
  public static final String HUGGINGFACE = "huggingface";
  /** The bundle format's lower-case word list. */
  public static final String SIMPLE = "simple";
  /** UTF-8 bytes, each byte b as id b + 3, then the end id 1. */
  public static final String BYTES = "bytes";

  public TokenizerSpec {
    Require.present(kind, "tokenizer.kind");
    if (!kind.equals(HUGGINGFACE) && !kind.equals(SIMPLE) && !kind.equals(BYTES)) {
      throw new IllegalArgumentException("tokenizer.kind must be \"" + HUGGINGFACE + "\", \"" + SIMPLE + "\" or \""
          + BYTES + "\", got \"" + kind + "\"");
    }
    if (kind.equals(BYTES)) {
      if (file != null) {
        throw new IllegalArgumentException("tokenizer.file must be null for kind \"" + BYTES + "\" (it needs no"
            + " file), got \"" + file + "\"");
      }
    } else {
      Require.present(file, "tokenizer.file (kind \"" + kind + "\")");
      Require.plainFile(file, "tokenizer.file");
    }
  }

  /** True when the tokenizer reads a file from the bundle. */
  public boolean hasFile() {
    return file != null;
  }
}
