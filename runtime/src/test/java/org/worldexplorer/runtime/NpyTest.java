package org.worldexplorer.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test-side .npy reader on files laid out as numpy.save writes them (format version 1, and version 2). */
class NpyTest {

  @Test
  void readsFloat32WithItsShape() {
    ByteBuffer data = little(8);
    data.putFloat(1.5f).putFloat(-2f);
    Npy npy = Npy.parse(npy(1, "<f4", "(1, 2)", data), "a.npy");
    assertArrayEquals(new long[] {1, 2}, npy.shape());
    assertArrayEquals(new float[] {1.5f, -2f}, npy.floats());
    assertNull(npy.longs());
  }

  @Test
  void widensFloat16Exactly() {
    ByteBuffer data = little(8);
    // 1.0, -2.5, the smallest subnormal 2^-24, +infinity
    data.putShort((short) 0x3c00).putShort((short) 0xc100).putShort((short) 0x0001).putShort((short) 0x7c00);
    Npy npy = Npy.parse(npy(1, "<f2", "(4,)", data), "h.npy");
    assertArrayEquals(new float[] {1f, -2.5f, 0x1p-24f, Float.POSITIVE_INFINITY}, npy.floats());
  }

  @Test
  void readsInt64FromAVersion2Header() {
    ByteBuffer data = little(16);
    data.putLong(7).putLong(-3);
    Npy npy = Npy.parse(npy(2, "<i8", "(2,)", data), "i.npy");
    assertArrayEquals(new long[] {7, -3}, npy.longs());
    assertArrayEquals(new double[] {7, -3}, npy.doubles());
    assertEquals("<i8", Npy.descr(Npy.header(npy(2, "<i8", "(2,)", little(16)), "i.npy")));
  }

  @Test
  void refusesFortranOrderOtherDtypesAndOtherFiles() {
    byte[] fortranFile = npyWithOrder("<f4", "(1, 1)", little(4), true);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Npy.parse(fortranFile, "f.npy")).getMessage()
        .contains("Fortran order"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Npy.parse(npy(1, "<f8", "(1,)", little(8)), "d.npy")).getMessage().contains("<f8"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Npy.parse("not numpy".getBytes(StandardCharsets.US_ASCII), "t.npy")).getMessage()
        .contains("not an .npy file"));
  }

  private static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] npy(int version, String descr, String shape, ByteBuffer data) {
    return npyWithOrder(version, descr, shape, data, false);
  }

  private static byte[] npyWithOrder(String descr, String shape, ByteBuffer data, boolean fortran) {
    return npyWithOrder(1, descr, shape, data, fortran);
  }

  /** Magic, version, header length, the header dict padded with spaces to 64 bytes and ended by '\n', the data. */
  private static byte[] npyWithOrder(int version, String descr, String shape, ByteBuffer data, boolean fortran) {
    int prefix = version == 1 ? 10 : 12;
    StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': "
        + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }");
    while ((prefix + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer head = little(prefix);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
    if (version == 1) {
      head.putShort((short) header.length());
    } else {
      head.putInt(header.length());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.array());
    out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data.array());
    return out.toByteArray();
  }
}
