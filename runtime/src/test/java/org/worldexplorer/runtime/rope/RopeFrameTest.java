package org.worldexplorer.runtime.rope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RopeFrameTest {

  @Test
  void chunkZeroWithoutContextTakesZeroToThree() {
    long[] context = new long[20];
    long[] chunk = new long[4];
    assertEquals(4, RopeFrame.write(new int[0], 0, 0, 4, context, chunk));
    assertArrayEquals(new long[] {0, 1, 2, 3}, chunk);
  }

  @Test
  void farRetrievalsAreCompactedWithoutGaps() {
    // chunk 0, one retrieved chunk at 40, the 12 latents before the chunk at 100
    int[] selected = {0, 1, 2, 3, 40, 41, 42, 43, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99};
    long[] context = new long[20];
    long[] chunk = new long[4];
    assertEquals(24, RopeFrame.write(selected, 20, 100, 4, context, chunk));
    for (int i = 0; i < 20; i++) {
      assertEquals(i, context[i], "context position " + i);
    }
    assertArrayEquals(new long[] {20, 21, 22, 23}, chunk);
  }

  @Test
  void shortHistoryUsesEveryEarlierLatent() {
    // chunk 2 (latents 8..11) sees latents 0..7
    int[] selected = {0, 1, 2, 3, 4, 5, 6, 7};
    long[] context = new long[20];
    long[] chunk = new long[4];
    assertEquals(12, RopeFrame.write(selected, 8, 8, 4, context, chunk));
    assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, Arrays.copyOf(context, 8));
    assertArrayEquals(new long[] {8, 9, 10, 11}, chunk);
  }

  @Test
  void largestPositionIs23For8bSizesWhateverTheVideoLength() {
    // 8B selection shape: all history while c <= 20, else chunk 0 + one retrieved chunk + the 12 latest
    int[] selected = new int[20];
    long[] context = new long[20];
    long[] chunk = new long[4];
    long largest = -1;
    for (int c = 0; c <= 21_596; c += 4) {
      int count = 0;
      if (c <= 20) {
        for (int i = 0; i < c; i++) {
          selected[count++] = i;
        }
      } else {
        for (int i = 0; i < 4; i++) {
          selected[count++] = i;
        }
        int candidates = (c - 16) / 4; // chunk starts 4, 8, ... below c - 12
        int retrieved = 4 * (1 + (c * 7 / 4) % candidates);
        for (int i = 0; i < 4; i++) {
          selected[count++] = retrieved + i;
        }
        for (int i = c - 12; i < c; i++) {
          selected[count++] = i;
        }
      }
      RopeFrame.write(selected, count, c, 4, context, chunk);
      for (int i = 0; i < count; i++) {
        largest = Math.max(largest, context[i]);
      }
      for (long p : chunk) {
        largest = Math.max(largest, p);
      }
      if (c >= 20) {
        assertEquals(23, chunk[3], "last chunk position at chunk start " + c);
      }
    }
    assertEquals(23, largest);
  }

  @Test
  void writesIntoLongBuffersFromTheirPositions() {
    LongBuffer context = direct(10);
    LongBuffer chunk = direct(6);
    context.position(2);
    chunk.position(1);
    assertEquals(7, RopeFrame.write(new int[] {5, 9, 30}, 3, 44, 4, context, chunk));
    assertEquals(2, context.position());
    assertEquals(1, chunk.position());
    assertEquals(0, context.get(2));
    assertEquals(2, context.get(4));
    assertEquals(3, chunk.get(1));
    assertEquals(6, chunk.get(4));
  }

  @Test
  void rejectsSelectionsThatCannotBeAContext() {
    long[] context = new long[20];
    long[] chunk = new long[4];
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {3, 2}, 2, 8, 4, context, chunk));
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {2, 2}, 2, 8, 4, context, chunk));
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {2, 8}, 2, 8, 4, context, chunk));
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {1}, 2, 8, 4, context, chunk));
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {1}, 1, 8, 0, context, chunk));
    assertThrows(IllegalArgumentException.class, () -> RopeFrame.write(new int[] {1}, 1, 8, 5, context, chunk));
    assertThrows(
        IllegalArgumentException.class, () -> RopeFrame.write(new int[] {1, 2}, 2, 8, 4, new long[1], chunk));
  }

  private static LongBuffer direct(int longs) {
    return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
  }
}
