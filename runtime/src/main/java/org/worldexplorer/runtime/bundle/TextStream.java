package org.worldexplorer.runtime.bundle;

import java.util.regex.Pattern;

/**
 * One text stream: a tokenizer, a text encoder graph and the DiT inputs {@code text_<name>} and
 * {@code text_<name>_mask}.
 *
 * @param name stream name, part of graph and tensor names
 * @param graph the encoder graph file, {@code text_encoder_<name>.onnx}; null when the bundle has no encoder for
 *     this stream and only its prompt cache can be used ({@link TextSpec} checks that one is set)
 * @param dim embedding width {@code d}
 * @param maxTokens tokens per prompt the DiT sees, after padding or cutting
 * @param tokenizer how prompts become token ids
 * @param prompt how the typed prompt becomes this stream's text
 */
public record TextStream(String name, String graph, int dim, int maxTokens, TokenizerSpec tokenizer,
    PromptSpec prompt) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]*");

  public TextStream {
    Require.matches(name, NAME, "text stream name", "lower-case letters, digits and '_'");
    String where = "text stream '" + name + "': ";
    if (graph != null) {
      Require.plainFile(graph, where + "graph");
    }
    Require.atLeast(dim, 1, where + "dim");
    Require.atLeast(maxTokens, 1, where + "max_tokens");
    Require.present(tokenizer, where + "tokenizer");
    Require.present(prompt, where + "prompt");
  }

  /** True when the bundle has an encoder graph for this stream. */
  public boolean hasEncoder() {
    return graph != null;
  }

  /**
   * Tokens the encoder sees: {@code max_tokens} plus the rows a template's instruction takes. When the host
   * counts crop_start, an upper bound: no tokenizer makes more tokens than the prefix has UTF-16 characters.
   */
  public int encoderTokens() {
    return maxTokens + (prompt.cropCountedByHost() ? prompt.templatePrefix().length() : prompt.cropStart());
  }

  /** Tokens the encoder sees once the host knows crop_start. */
  public int encoderTokens(int cropStart) {
    return maxTokens + cropStart;
  }

  /** The graph key of this stream's encoder in {@code graphs}. */
  public String graphKey() {
    return BundleContract.TEXT_ENCODER_PREFIX + name;
  }

  /** The DiT input that takes this stream's embeddings. */
  public String ditInput() {
    return "text_" + name;
  }

  /** The DiT input that takes this stream's mask. */
  public String ditMaskInput() {
    return "text_" + name + "_mask";
  }

  /** The symbolic token count of this stream in the DiT, {@code n_<name>}. */
  public String tokenSymbol() {
    return "n_" + name;
  }
}
