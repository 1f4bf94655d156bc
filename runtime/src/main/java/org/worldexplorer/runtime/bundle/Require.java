package org.worldexplorer.runtime.bundle;

import java.util.List;
import java.util.regex.Pattern;

/** Range checks shared by the manifest records; each message names the field, the bad value and the rule. */
final class Require {

  private static final Pattern PLAIN_FILE = Pattern.compile("[A-Za-z0-9_.-]+");

  private Require() {}

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is missing (null); the bundle format requires a value here");
    }
    return value;
  }

  static int atLeast(int value, int min, String field) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  static long atLeast(long value, long min, String field) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  static double positive(double value, String field) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number above 0, got " + value);
    }
    return value;
  }

  static double nonNegative(double value, String field) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, 0 or more, got " + value);
    }
    return value;
  }

  static String text(String value, String field) {
    present(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return value;
  }

  static String matches(String value, Pattern pattern, String field, String rule) {
    present(value, field);
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be " + rule + ", got \"" + value + "\"");
    }
    return value;
  }

  /** A file name inside the bundle folder: no folders, no way out of the bundle. */
  static String plainFile(String value, String field) {
    matches(value, PLAIN_FILE, field, "a plain file name inside the bundle folder (letters, digits, '_', '-', '.')");
    if (value.startsWith(".")) {
      throw new IllegalArgumentException(field + " must not start with '.', got \"" + value + "\"");
    }
    return value;
  }

  static <T> List<T> list(List<T> value, String field) {
    present(value, field);
    for (int i = 0; i < value.size(); i++) {
      present(value.get(i), field + "[" + i + "]");
    }
    return List.copyOf(value);
  }
}
