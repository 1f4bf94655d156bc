package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorldExplorerCommandTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WorldExplorer.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheSubcommands() {
    Run run = run("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("Usage: worldexplorer"), run.out());
    assertTrue(run.out().contains("doctor"), run.out());
  }

  @Test
  void versionNamesTheProgram() {
    Run run = run("--version");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().startsWith("worldexplorer "), run.out());
  }

  @Test
  void doctorReportsJavaAndOnnxRuntime() {
    Run run = run("doctor");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("ok    java         Java 17"), run.out());
    assertTrue(run.out().matches("(?s).*ok    onnxruntime  version 1\\.\\d+\\.\\d+, providers \\[.*CPU.*\\].*"),
        run.out());
  }

  @Test
  void anUnknownOptionIsAUsageErrorThatSaysWhichOption() {
    Run run = run("doctor", "--frobnicate");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--frobnicate'"), run.err());
  }
}
