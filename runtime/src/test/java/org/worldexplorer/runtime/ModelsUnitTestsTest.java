package org.worldexplorer.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python test suite of {@code models/} (exporters, parameter fixtures, tiny-configuration exports of
 * every variant) as part of the Maven build, so CI runs it too. A failing Python test fails this test with the
 * suite's output. Skipped tests are listed; under WORLDEXPLORER_REQUIRE_ALL_TESTS only the opt-in slow exports
 * (WORLDEXPLORER_SLOW_TESTS; the Java parity tests cover the same graphs at full width) may skip.
 */
class ModelsUnitTestsTest {

  private static final Pattern RAN = Pattern.compile("Ran (\\d+) tests? in");
  private static final Pattern SKIP = Pattern.compile("^(test\\S*) \\((\\S+)\\).*\\.\\.\\. skipped '(.*)'$",
      Pattern.MULTILINE);

  @Test
  void everyPythonTestPasses() throws Exception {
    ModelsPython.require("the models/ Python tests", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    String output = ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "unittest", "discover", "-v",
        "-s", "tests", "-t", "."), 1500);
    Matcher ran = RAN.matcher(output);
    assertTrue(ran.find(), "no unittest summary in:\n" + output);
    int count = Integer.parseInt(ran.group(1));
    assertTrue(count >= 50, "only " + count + " Python tests were found:\n" + output);
    Matcher skip = SKIP.matcher(output);
    StringBuilder skipped = new StringBuilder();
    while (skip.find()) {
      String reason = skip.group(3);
      skipped.append(skip.group(2)).append(": ").append(reason).append('\n');
      if (System.getenv("WORLDEXPLORER_REQUIRE_ALL_TESTS") != null && !reason.contains("WORLDEXPLORER_SLOW_TESTS")) {
        throw new AssertionError("Python test skipped in CI: " + skip.group(1) + " (" + reason + ")");
      }
    }
    System.out.printf("models/ Python tests: %d ran%s%n", count,
        skipped.length() == 0 ? ", none skipped" : "; skipped:\n" + skipped);
  }
}
