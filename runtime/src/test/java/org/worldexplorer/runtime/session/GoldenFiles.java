package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.worldexplorer.runtime.Npy;

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
      return compareFloats(Npy.toDoubles(TinyGolden.readFloats(expected)),
          Npy.toDoubles(TinyGolden.readFloats(actual)), tolerance);
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
    String headerA = Npy.header(a, expected.toString());
    String headerB = Npy.header(b, actual.toString());
    if (!headerA.equals(headerB)) {
      return "header " + headerB.strip() + " instead of " + headerA.strip();
    }
    return compareFloats(Npy.parse(a, expected.toString()).doubles(), Npy.parse(b, actual.toString()).doubles(),
        Npy.descr(headerA).equals("<i8") ? 0 : tolerance);
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
