package org.worldexplorer.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A little-endian .npy array in C order, as numpy.save writes the golden files: float32 and float16 arrays come as
 * {@code floats} (float16 widened exactly), int64 arrays as {@code longs}; the other is null.
 */
public record Npy(long[] shape, float[] floats, long[] longs) {

  public static Npy read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses the bytes of an .npy file; {@code source} names it in errors. */
  public static Npy parse(byte[] bytes, String source) {
    String header = header(bytes, source);
    if (header.contains("'fortran_order': True")) {
      throw new IllegalArgumentException(source + " is in Fortran order; save a C-ordered array "
          + "(numpy.ascontiguousarray) instead");
    }
    int open = header.indexOf("'shape': (") + 10;
    long[] shape = Arrays.stream(header.substring(open, header.indexOf(')', open)).split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    int count = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    int offset = dataOffset(bytes);
    ByteBuffer data = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN);
    String descr = descr(header);
    switch (descr) {
      case "<f4": {
        float[] values = new float[count];
        data.asFloatBuffer().get(values);
        return new Npy(shape, values, null);
      }
      case "<f2": {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
          values[i] = halfToFloat(data.getShort(2 * i));
        }
        return new Npy(shape, values, null);
      }
      case "<i8": {
        long[] values = new long[count];
        data.asLongBuffer().get(values);
        return new Npy(shape, null, values);
      }
      default:
        throw new IllegalArgumentException(source + ": dtype " + descr + " is not one of <f4, <f2, <i8 (header "
            + header.strip() + ")");
    }
  }

  /** The header dictionary text of an .npy file (versions 1 to 3), padding included. */
  public static String header(byte[] bytes, String source) {
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
      throw new IllegalArgumentException(source + " is not an .npy file");
    }
    int start = bytes[6] == 1 ? 10 : 12;
    return new String(bytes, start, dataOffset(bytes) - start, StandardCharsets.ISO_8859_1);
  }

  /** The dtype, e.g. {@code <f4}, named in a header. */
  public static String descr(String header) {
    return header.replaceAll("(?s).*'descr': *'([^']+)'.*", "$1");
  }

  private static int dataOffset(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return bytes[6] == 1 ? 10 + (b.getShort(8) & 0xffff) : 12 + b.getInt(8);
  }

  public static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** A float32 tensor's shape and values, copied out of ONNX Runtime. */
  public static Npy ofFloatTensor(OnnxTensor tensor) {
    float[] values = new float[Math.toIntExact(tensor.getInfo().getNumElements())];
    tensor.getFloatBuffer().get(values);
    return new Npy(tensor.getInfo().getShape(), values, null);
  }

  /** A float32 tensor (float16 arrays widened) or an int64 one; the caller closes it. */
  public OnnxTensor tensor(OrtEnvironment env) throws OrtException {
    if (floats != null) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(floats.length * 4).order(ByteOrder.nativeOrder());
      buffer.asFloatBuffer().put(floats);
      return OnnxTensor.createTensor(env, buffer.asFloatBuffer(), shape);
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(longs.length * 8).order(ByteOrder.nativeOrder());
    buffer.asLongBuffer().put(longs);
    return OnnxTensor.createTensor(env, buffer.asLongBuffer(), shape);
  }

  /** Every value as a double; int64 values are exact up to 2^53, plenty for labels and positions. */
  public double[] doubles() {
    return floats != null ? toDoubles(floats) : Arrays.stream(longs).asDoubleStream().toArray();
  }

  public static double[] toDoubles(float[] values) {
    double[] v = new double[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = values[i];
    }
    return v;
  }
}
