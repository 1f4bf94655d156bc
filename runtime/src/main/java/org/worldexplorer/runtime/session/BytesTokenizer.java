package org.worldexplorer.runtime.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The bundle format's {@code bytes} tokenizer, byte-level as byT5: every UTF-8 byte {@code b} becomes id
 * {@code b + 3} (0, 1 and 2 are padding, end and unknown), the end id 1 follows the text, and padding is 0. A
 * text longer than the stream is cut so that the end id still comes last. It needs no file.
 */
final class BytesTokenizer implements PromptTokenizer {

  static final long PAD = 0;
  static final long END = 1;
  static final int BYTE_OFFSET = 3;

  @Override
  public int encode(String text, long[] ids, long[] mask) {
    Arrays.fill(ids, PAD);
    Arrays.fill(mask, 0L);
    if (ids.length == 0) {
      return 0;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int kept = Math.min(bytes.length, ids.length - 1);
    for (int i = 0; i < kept; i++) {
      ids[i] = (bytes[i] & 0xff) + BYTE_OFFSET;
    }
    ids[kept] = END;
    Arrays.fill(mask, 0, kept + 1, 1L);
    return bytes.length + 1;
  }

  /** Every byte has an id, so no word is unknown. */
  @Override
  public List<String> unknownWords(String text) {
    return List.of();
  }

  /**
   * The part of {@code text} that fits in {@code tokens} ids (the end id takes one), for a notice; a character
   * whose bytes were split by the cut is left out.
   */
  static String keptText(String text, int tokens) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int kept = Math.max(0, Math.min(bytes.length, tokens - 1));
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.IGNORE)
        .onUnmappableCharacter(CodingErrorAction.IGNORE);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, 0, kept)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a decoder that ignores malformed input does not throw", e);
    }
  }

  @Override
  public void close() {}
}
