package org.worldexplorer.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.worldexplorer.runtime.OnnxRuntimeInfo;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.GpuMemoryProbe;
import org.worldexplorer.runtime.bundle.SessionFactory;
import org.worldexplorer.runtime.bundle.SessionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Checks the machine and, optionally, a bundle; prints one line per check and what to do about failures. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = "Check Java, ONNX Runtime and a bundle, and say what to do about each failure.")
final class DoctorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--bundle", paramLabel = "DIR", description = "Also validate this model bundle folder.")
  Path bundle;

  @Mixin CudaOptionsMixin cuda;

  @Override
  public Integer call() {
    DoctorReport report = new DoctorReport(spec.commandLine().getOut());
    checkJava(report);
    if (checkOnnxRuntime(report)) {
      checkCuda(report, SessionSettings.defaults().withCuda(cuda.options()));
      if (bundle != null) {
        checkBundle(report, bundle, cuda.options().deviceId());
      }
    }
    return report.print();
  }

  /** Whether CUDA starts with the options given, and those options as ONNX Runtime gets them. */
  private static void checkCuda(DoctorReport report, SessionSettings settings) {
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.AUTO, settings)) {
      String options = factory.settings().cuda().providerOptionsLine();
      if (factory.provider() == ExecutionProvider.CUDA) {
        report.ok("cuda", "the CUDA execution provider starts; models run on the GPU");
        report.ok("cuda options", options);
      } else {
        // Not a failure: the CPU is a supported way to run; say what a GPU would need.
        report.ok("cuda", "not used: " + factory.fallbackReason().orElse("CPU requested")
            + " (for a GPU: the -Pcuda build with CUDA 12 and an NVIDIA driver)");
        report.ok("cuda options", "would be " + options);
      }
      report.ok("cuda replay", "replay and explore --resume force cudnn_conv_algo_search=DEFAULT use_tf32=0");
    } catch (BundleException e) {
      report.fail("cuda", e.getMessage(), "run with --device cpu");
    }
  }

  private static void checkBundle(DoctorReport report, Path directory, int device) {
    BundleDoctor.check(report, directory, GpuMemoryProbe.nvidiaSmi(), device);
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

  private static boolean checkOnnxRuntime(DoctorReport report) {
    try {
      OnnxRuntimeInfo info = OnnxRuntimeInfo.read();
      report.ok("onnxruntime", "version " + info.version() + ", providers " + info.compiledProviders());
      return true;
    } catch (RuntimeException | LinkageError e) {
      report.fail("onnxruntime", "could not load the native library: " + e.getMessage(),
          "check that the onnxruntime jar matches this OS and CPU (Linux x64, macOS arm64, Windows x64)");
      return false;
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
