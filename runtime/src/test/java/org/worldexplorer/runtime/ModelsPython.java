package org.worldexplorer.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Python in {@code models/} from tests, with Debian's interpreter. A test that needs it skips on a machine
 * without the packages, but fails when WORLDEXPLORER_REQUIRE_ALL_TESTS is set (as {@code .ci/run} does).
 */
public final class ModelsPython {

  public static final Path PYTHON = Path.of("/usr/bin/python3");
  public static final Path MODELS = Path.of("..", "models");

  private ModelsPython() {}

  /**
   * Skips (or fails, in CI) unless {@code /usr/bin/python3} imports every module.
   *
   * @param purpose what the test checks, for the skip message
   * @param modules Python modules, e.g. torch, onnx, numpy
   * @param debianPackages the packages that provide them, for the failure message
   */
  public static void require(String purpose, List<String> modules, String debianPackages) throws Exception {
    String why = null;
    if (!Files.isExecutable(PYTHON)) {
      why = PYTHON + " is missing";
    } else {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import " + String.join(", ", modules))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        why = PYTHON + " cannot import " + String.join(", ", modules) + ": " + output.strip();
      }
    }
    if (why != null) {
      if (System.getenv("WORLDEXPLORER_REQUIRE_ALL_TESTS") != null) {
        fail(why + "; install " + debianPackages + " (.ci/run does)");
      }
      Assumptions.abort(why + "; " + purpose + " needs them");
    }
  }

  /** Runs a command in {@code models/} and returns its output; a timeout or a non-zero exit fails the test. */
  public static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("worldexplorer-models", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(MODELS.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " took longer than " + timeoutSeconds + " s");
      }
      String output = Files.readString(log);
      if (p.exitValue() != 0) {
        fail(String.join(" ", command) + " failed with exit code " + p.exitValue() + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
