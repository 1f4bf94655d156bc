package org.worldexplorer.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How far an exported graph's output (run in ONNX Runtime) lies from PyTorch's: the largest absolute difference,
 * the largest expected magnitude and their ratio, the relative error the parity tests bound.
 */
public record ParityError(double maxError, double maxExpected, double relative) {

  /**
   * Asserts that every actual value is finite and that the expected values reach above {@code floor} (near-zero
   * outputs would make any relative error meaningless), prints the errors under {@code label} and asserts that the
   * relative error is at most {@code tolerance}.
   */
  public static ParityError check(String label, float[] expected, float[] actual, double floor, double tolerance) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException(label + ": " + actual.length + " values against " + expected.length
          + " expected; compare the shapes first");
    }
    double maxError = 0;
    double maxExpected = 0;
    for (int i = 0; i < actual.length; i++) {
      assertTrue(Float.isFinite(actual[i]), label + ": output " + i + " is not finite");
      maxError = Math.max(maxError, Math.abs(actual[i] - expected[i]));
      maxExpected = Math.max(maxExpected, Math.abs(expected[i]));
    }
    assertTrue(maxExpected > floor, label + ": the expected values should not be near zero: " + maxExpected);
    double relative = maxError / maxExpected;
    System.out.printf("%s: max |java - torch| = %.3g of max |torch| %.3g, relative %.3g%n", label, maxError,
        maxExpected, relative);
    assertTrue(relative <= tolerance, label + ": relative error " + relative + " exceeds " + tolerance);
    return new ParityError(maxError, maxExpected, relative);
  }
}
