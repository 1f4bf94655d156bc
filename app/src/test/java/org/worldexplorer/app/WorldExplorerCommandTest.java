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
  void doctorValidatesAGoodBundleAndReportsItsMemory() {
    Run run = run("doctor", "--bundle", testBundle("valid").toString());
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().contains("ok    cuda         not used: CUDA is not available"), run.out());
    assertTrue(run.out().contains("ok    bundle"), run.out());
    assertTrue(run.out().contains("ok    memory       about "), run.out());
  }

  @Test
  void theEmbeddedDefaultBundlePassesEveryCheck() {
    java.nio.file.Path bundle = java.nio.file.Path.of("..", "assets", "bundles", "reference-scene");
    Run run = run("doctor", "--bundle", bundle.toString());
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().contains("bundle 'reference-scene'"), run.out());
  }

  @Test
  void doctorNamesTheGraphAndTensorOfABrokenBundleAndSaysWhatToDo() {
    Run run = run("doctor", "--bundle", testBundle("graph-wrong-size").toString());
    assertEquals(1, run.exitCode(), run.out());
    assertTrue(run.out().contains("FAIL  bundle"), run.out());
    assertTrue(run.out().contains("dit_chunk.onnx: input 'chunk_noise' has shape"), run.out());
    assertTrue(run.out().contains("-> rebuild the bundle with models/"), run.out());
  }

  @Test
  void doctorOnAMissingFolderSaysSo() {
    Run run = run("doctor", "--bundle", "/nonexistent/bundle");
    assertEquals(1, run.exitCode(), run.out());
    assertTrue(run.out().contains("/nonexistent/bundle"), run.out());
  }

  private static java.nio.file.Path testBundle(String name) {
    return java.nio.file.Path.of("..", "runtime", "src", "test", "resources", "bundles", name).toAbsolutePath()
        .normalize();
  }

  @Test
  void benchPrintsATableAndWritesJsonWithEveryStage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path json = dir.resolve("bench.json");
    Run run = run("bench", "--bundle", "../assets/bundles/reference-scene", "--image", "../assets/images/meadow.png",
        "--chunks", "3", "--warmup", "0", "--device", "cpu", "--json", json.toString());
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("stage       mean ms     p50 ms     p99 ms"), run.out());
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertEquals("reference-scene", tree.get("bundle").asText());
    for (String stage : new String[] {"select", "dit", "decode", "host", "total"}) {
      assertTrue(tree.get("stages_ms").get(stage).get("p99_ms").asDouble() >= 0, stage);
    }
    assertTrue(tree.get("stages_ms").get("dit").get("mean_ms").asDouble() > 0);
    // 3 chunks = 13 + 16 + 16 frames, so FPS is 45 frames over the summed chunk time.
    double total = tree.get("stages_ms").get("total").get("mean_ms").asDouble() * 3 / 1000;
    assertEquals(45 / total, tree.get("generation_fps").asDouble(), 1e-6 * (45 / total));
  }

  @Test
  void exploreWithAMissingImageSaysWhatToDoWithoutAStackTrace() {
    Run run = run("explore", "--image", "/nonexistent/start.png", "--bundle", "../assets/bundles/reference-scene");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("Cannot use the start image: /nonexistent/start.png"), run.err());
    assertTrue(run.err().contains("pass --image with a PNG or JPEG"), run.err());
    assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  @Test
  void exploreWithAFileThatIsNotAnImageSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path fake = dir.resolve("fake.png");
    java.nio.file.Files.writeString(fake, "not a picture");
    Run run = run("explore", "--image", fake.toString(), "--bundle", "../assets/bundles/reference-scene");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("is not an image this program can read; use a PNG or JPEG"), run.err());
  }

  @Test
  void exploreWithABrokenBundleNamesTheGraphAndTensor() {
    Run run = run("explore", "--bundle", testBundle("graph-wrong-size").toString(), "--image",
        "../assets/images/meadow.png");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("Cannot open the model bundle"), run.err());
    assertTrue(run.err().contains("input 'chunk_noise' has shape"), run.err());
  }

  @Test
  void exploreWithAnUnknownDeviceListsTheChoices() {
    Run run = run("explore", "--device", "tpu");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Invalid value for option '--device': expected one of [AUTO, CUDA, CPU]"
        + " (case-insensitive) but was 'tpu'"), run.err());
  }

  @Test
  void anUnknownOptionIsAUsageErrorThatSaysWhichOption() {
    Run run = run("doctor", "--frobnicate");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Unknown option: '--frobnicate'"), run.err());
  }
}
