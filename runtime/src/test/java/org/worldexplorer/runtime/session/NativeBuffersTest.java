package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class NativeBuffersTest {

  @Test
  void buffersAreDirectNativeOrderAndOfTheAskedSize() {
    FloatBuffer floats = NativeBuffers.floats(12);
    assertEquals(12, floats.capacity());
    assertTrue(floats.isDirect());
    assertEquals(ByteOrder.nativeOrder(), floats.order());
    assertEquals(5, NativeBuffers.longs(5).capacity());
  }

  @Test
  void aBufferPastTwoGigabytesIsRefusedWithWhatAndHowMuch() {
    // The 5B decoder cache at 1280x704: 1,607,936,000 floats, 6.0 GiB.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeBuffers.floats(1_607_936_000L));
    assertEquals("cannot make a direct buffer of 1607936000 floats: that is 6431744000 bytes, and a Java direct"
        + " buffer holds at most 2147483647 bytes (2 GB)", e.getMessage());
    IllegalArgumentException longs = assertThrows(IllegalArgumentException.class,
        () -> NativeBuffers.longs(Long.MAX_VALUE / 2));
    assertTrue(longs.getMessage().contains("over 2^63 bytes"), longs.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NativeBuffers.floats(-1));
  }

  @Test
  void fitsStopsAtTheDirectBufferLimit() {
    assertTrue(NativeBuffers.fits(Integer.MAX_VALUE / 4, Float.BYTES));
    assertFalse(NativeBuffers.fits(Integer.MAX_VALUE / 4 + 1, Float.BYTES));
    assertFalse(NativeBuffers.fits(-1, Float.BYTES));
  }
}
