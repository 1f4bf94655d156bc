package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundle format's byte-level tokenizer: UTF-8 byte + 3, end id 1, padding 0, cut keeping the end id. */
class BytesTokenizerTest {

  private final BytesTokenizer tokenizer = new BytesTokenizer();

  @Test
  void asciiBytesAreShiftedByThreeAndFollowedByTheEndId() {
    long[] ids = new long[6];
    long[] mask = new long[6];
    assertEquals(3, tokenizer.encode("Hi", ids, mask));
    assertArrayEquals(new long[] {'H' + 3, 'i' + 3, 1, 0, 0, 0}, ids);
    assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0}, mask);
  }

  @Test
  void aNonAsciiCharacterIsItsUtf8Bytes() {
    long[] ids = new long[4];
    long[] mask = new long[4];
    // é is C3 A9 in UTF-8.
    assertEquals(3, tokenizer.encode("\u00e9", ids, mask));
    assertArrayEquals(new long[] {0xC3 + 3, 0xA9 + 3, 1, 0}, ids);
  }

  @Test
  void anEmptyTextIsTheEndIdAlone() {
    long[] ids = {9, 9, 9};
    long[] mask = {9, 9, 9};
    assertEquals(1, tokenizer.encode("", ids, mask));
    assertArrayEquals(new long[] {1, 0, 0}, ids);
    assertArrayEquals(new long[] {1, 0, 0}, mask);
  }

  @Test
  void aLongTextIsCutAndTheEndIdStaysLast() {
    long[] ids = new long[4];
    long[] mask = new long[4];
    assertEquals(7, tokenizer.encode("abcdef", ids, mask), "the whole text has 6 bytes and the end id");
    assertArrayEquals(new long[] {'a' + 3, 'b' + 3, 'c' + 3, 1}, ids);
    assertArrayEquals(new long[] {1, 1, 1, 1}, mask);
  }

  @Test
  void theKeptTextForANoticeDropsACharacterSplitByTheCut() {
    assertEquals("abc", BytesTokenizer.keptText("abcdef", 4));
    // "aé" is 61 C3 A9: three ids hold "a" and half of é, which is left out.
    assertEquals("a", BytesTokenizer.keptText("a\u00e9b", 3));
    assertEquals("a\u00e9", BytesTokenizer.keptText("a\u00e9b", 4));
  }

  @Test
  void noWordIsUnknown() {
    assertEquals(List.of(), tokenizer.unknownWords("qwxz \u2603"));
  }
}
