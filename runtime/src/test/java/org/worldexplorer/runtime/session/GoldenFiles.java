package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares a regenerated golden file with the committed one: .npy (float32, float16, int64) and raw .f32 tensors
 * element by element within a tolerance (integers exactly), JSON trees with numbers within the tolerance, other
 * files byte for byte. Each method returns null when the files agree, else what differs.
 */
final class GoldenFiles {

  private GoldenFiles() {}

  static String compare(Path expected, Path actual, double tolerance) throws IOException {
    String name = expected.getFileName().toString();
    if (name.endsWith(".npy")) {
      return compareNpy(expected, actual, tolerance);
    }
    if (name.endsWith(".f32")) {
      return compareFloats(read(expected, "<f4", Files.readAllBytes(expected), 0),
          read(actual, "<f4", Files.readAllBytes(actual), 0), tolerance);
    }
    if (name.endsWith(".json")) {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      return compareJson(mapper.readTree(expected.toFile()), mapper.readTree(actual.toFile()), "", tolerance);
    }
    return java.util.Arrays.equals(Files.readAllBytes(expected), Files.readAllBytes(actual)) ? null
        : "the bytes differ";
  }

  private static String compareNpy(Path expected, Path actual, double tolerance) throws IOException {
    byte[] a = Files.readAllBytes(expected);
    byte[] b = Files.readAllBytes(actual);
    String headerA = npyHeader(a);
    String headerB = npyHeader(b);
    if (!headerA.equals(headerB)) {
      return "header " + headerB.strip() + " instead of " + headerA.strip();
    }
    String descr = headerA.replaceAll("(?s).*'descr': *'([^']+)'.*", "$1");
    int offset = npyDataOffset(a);
    return compareFloats(read(expected, descr, a, offset), read(actual, descr, b, offset),
        descr.equals("<i8") ? 0 : tolerance);
  }

  static String npyHeader(byte[] bytes) {
    if (bytes.length < 10 || (bytes[0] & 0xff) != 0x93 || bytes[1] != 'N') {
      throw new IllegalArgumentException("not an .npy file");
    }
    int offset = npyDataOffset(bytes);
    int start = bytes[6] == 1 ? 10 : 12;
    return new String(bytes, start, offset - start, StandardCharsets.ISO_8859_1);
  }

  private static int npyDataOffset(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    return bytes[6] == 1 ? 10 + (b.getShort(8) & 0xffff) : 12 + b.getInt(8);
  }

  /** Values as doubles; int64 values are exact in a double only up to 2^53, plenty for labels and positions. */
  private static double[] read(Path file, String descr, byte[] bytes, int offset) {
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN);
    switch (descr) {
      case "<f4": {
        double[] v = new double[b.remaining() / 4];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.getFloat(4 * i);
        }
        return v;
      }
      case "<f2": {
        double[] v = new double[b.remaining() / 2];
        for (int i = 0; i < v.length; i++) {
          v[i] = halfToFloat(b.getShort(2 * i));
        }
        return v;
      }
      case "<i8": {
        double[] v = new double[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) {
          v[i] = b.getLong(8 * i);
        }
        return v;
      }
      default:
        throw new IllegalArgumentException(file + ": golden dtype " + descr + " is not one of <f4, <f2, <i8");
    }
  }

  static float halfToFloat(short half) {
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

  private static String compareFloats(double[] expected, double[] actual, double tolerance) {
    if (expected.length != actual.length) {
      return actual.length + " values instead of " + expected.length;
    }
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    return worst <= tolerance ? null
        : "max abs difference " + worst + " at element " + at + " (tolerance " + tolerance + ")";
  }

  private static String compareJson(JsonNode expected, JsonNode actual, String path, double tolerance) {
    if (expected.isNumber() && actual.isNumber()) {
      double d = Math.abs(expected.asDouble() - actual.asDouble());
      boolean integral = expected.isIntegralNumber() && actual.isIntegralNumber();
      return (integral ? d == 0 : d <= tolerance) ? null
          : path + ": " + actual + " instead of " + expected;
    }
    if (expected.isObject() && actual.isObject()) {
      if (expected.size() != actual.size()) {
        return path + ": fields " + names(actual) + " instead of " + names(expected);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode other = actual.get(field.getKey());
        if (other == null) {
          return path + ": field " + field.getKey() + " is missing";
        }
        String difference = compareJson(field.getValue(), other, path + "." + field.getKey(), tolerance);
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        return path + ": " + actual.size() + " entries instead of " + expected.size();
      }
      for (int i = 0; i < expected.size(); i++) {
        String difference = compareJson(expected.get(i), actual.get(i), path + "[" + i + "]", tolerance);
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : path + ": " + actual + " instead of " + expected;
  }

  private static String names(JsonNode node) {
    StringBuilder s = new StringBuilder();
    node.fieldNames().forEachRemaining(n -> s.append(s.length() == 0 ? "" : ", ").append(n));
    return "[" + s + "]";
  }
}
