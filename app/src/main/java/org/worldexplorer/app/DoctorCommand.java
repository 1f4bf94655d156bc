package org.worldexplorer.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.worldexplorer.runtime.OnnxRuntimeInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks the machine and, optionally, a bundle; prints one line per check and what to do about failures. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Check Java, ONNX Runtime and a bundle, and say what to do about each failure.")
final class DoctorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DoctorReport report = new DoctorReport(spec.commandLine().getOut());
    checkJava(report);
    checkOnnxRuntime(report);
    return report.print();
  }

  private static void checkJava(DoctorReport report) {
    int feature = Runtime.version().feature();
    String detail = "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
        + ") on " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    if (feature >= 17) {
      report.ok("java", detail);
    } else {
      report.fail("java", detail, "install JDK 17 or newer");
    }
  }

  private static void checkOnnxRuntime(DoctorReport report) {
    try {
      OnnxRuntimeInfo info = OnnxRuntimeInfo.read();
      report.ok("onnxruntime", "version " + info.version() + ", providers " + info.compiledProviders());
    } catch (RuntimeException | LinkageError e) {
      report.fail("onnxruntime", "could not load the native library: " + e.getMessage(),
          "check that the onnxruntime jar matches this OS and CPU (Linux x64, macOS arm64, Windows x64)");
    }
  }

  /** Collects check lines and prints them with a summary; the exit code is the number of failures (max 1). */
  static final class DoctorReport {
    private final PrintWriter out;
    private final StringBuilder lines = new StringBuilder();
    private int failures;

    DoctorReport(PrintWriter out) {
      this.out = out;
    }

    void ok(String check, String detail) {
      lines.append(String.format("  ok    %-12s %s%n", check, detail));
    }

    void fail(String check, String detail, String whatToDo) {
      failures++;
      lines.append(String.format("  FAIL  %-12s %s%n        %-12s -> %s%n", check, detail, "", whatToDo));
    }

    int print() {
      out.print(lines);
      out.println(failures == 0 ? "All checks passed." : failures + " check(s) failed.");
      out.flush();
      return failures == 0 ? 0 : 1;
    }
  }
}
