package org.worldexplorer.runtime.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.worldexplorer.runtime.bundle.TokenizerSpec;

/** Turns a prompt into the fixed-length token ids and mask of one text stream. */
interface PromptTokenizer extends AutoCloseable {

  /**
   * Writes ids and mask (1 for a real token, 0 for padding) into arrays of the stream's token count.
   *
   * @return the number of tokens the whole prompt has; more than {@code ids.length} means it was cut
   */
  int encode(String text, long[] ids, long[] mask);

  /** Words of {@code text} the tokenizer cannot map (they become the unknown token), for a notice. */
  List<String> unknownWords(String text);

  @Override
  void close();

  /** Opens the tokenizer a stream declares. */
  static PromptTokenizer open(TokenizerSpec spec, Path bundleDirectory) throws IOException {
    if (spec.kind().equals(TokenizerSpec.BYTES)) {
      return new BytesTokenizer();
    }
    Path file = bundleDirectory.resolve(spec.file());
    return switch (spec.kind()) {
      case TokenizerSpec.SIMPLE -> SimpleTokenizer.load(file);
      case TokenizerSpec.HUGGINGFACE -> HuggingFacePromptTokenizer.load(file);
      default -> throw new IOException("unknown tokenizer kind '" + spec.kind() + "' in " + file);
    };
  }
}
