package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.bundle.ValidationReport.MemoryEstimate;

/** The {@code doctor} report: every check runs where it can, plus the memory estimate. */
class ValidationReportTest {

  @TempDir
  Path temp;

  @Test
  void validBundlePassesEveryCheck() throws IOException {
    Path folder = TestBundles.path("valid");
    ValidationReport report = ModelBundle.validate(folder);
    assertTrue(report.ok(), String.join("\n", report.lines()));
    List<String> lines = report.lines();
    assertEquals("ok   manifest.json: bundle 'valid', format version 2, 5 graphs", lines.get(0));
    assertEquals("ok   every file the manifest names is present", lines.get(1));
    assertEquals("ok   dit_chunk.onnx: manifest entry follows the bundle format", lines.get(3));
    assertEquals("ok   dit_chunk.onnx: graph signature matches the manifest", lines.get(8));
    assertEquals(13, lines.size());
    assertTrue(lines.get(12).startsWith("memory estimate: "), lines.get(12));
    assertTrue(lines.get(12).endsWith(", tensors 345.0 KiB)"), lines.get(12));
  }

  @Test
  void memoryEstimateAddsGraphFilesAndLargestTensors() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Files.write(folder.resolve("dit_chunk.onnx.data"), new byte[1000]);
    MemoryEstimate memory = ModelBundle.validate(folder).memory().orElseThrow();
    long files = 1000;
    for (String graph : List.of("vae_encoder", "dit_chunk", "vae_decoder_first", "vae_decoder",
        "text_encoder_llm")) {
      files += Files.size(folder.resolve(graph + ".onnx"));
    }
    assertEquals(files, memory.graphBytes());
    // Worked out from the tables with n_ctx = 6 and 8 tokens: vae_encoder 11,760; dit_chunk 1,222 floats and
    // 20 int64 = 5,048; vae_decoder_first 37,690 floats = 150,760; vae_decoder 46,340 floats = 185,360;
    // text encoder 16 int64 and 48 floats = 320.
    assertEquals(353_248, memory.tensorBytes());
    assertEquals(files + 353_248, memory.totalBytes());
  }

  @Test
  void halfPrecisionTensorsCountTwoBytes() {
    ValidationReport report = ModelBundle.validate(TestBundles.path("half-boundaries"));
    assertTrue(report.ok(), String.join("\n", report.lines()));
    // The valid bundle's 353,248 bytes less 2 bytes per element of every half tensor (HALF_DTYPES in
    // make_test_graphs.py): vae_encoder 2,940 elements, dit_chunk 1,053, vae_decoder_first 37,690,
    // vae_decoder 46,340, text encoder 48: 88,071 elements, 176,142 bytes.
    assertEquals(177_106, report.memory().orElseThrow().tensorBytes());
  }

  @Test
  void reportsEveryProblemInsteadOfStoppingAtTheFirst() throws IOException {
    Path folder = TestBundles.copy("graph-wrong-size", temp);
    Files.delete(folder.resolve("vae_decoder.onnx"));
    ValidationReport report = ModelBundle.validate(folder);
    assertFalse(report.ok());
    List<String> failures = report.lines().stream().filter(line -> line.startsWith("FAIL")).toList();
    assertEquals(2, failures.size(), String.join("\n", report.lines()));
    assertTrue(failures.get(0).startsWith("FAIL Bundle folder " + folder + " has no vae_decoder.onnx"));
    assertEquals("FAIL dit_chunk.onnx: input 'chunk_noise' has shape [1, 4, 4, 3, 5] in the manifest but"
        + " [1, 4, 4, 3, 6] in the graph", failures.get(1));
    assertTrue(report.lines().contains("ok   vae_encoder.onnx: graph signature matches the manifest"));
    assertTrue(report.memory().isPresent());
  }

  @Test
  void unreadableManifestEndsTheReport() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("empty"));
    ValidationReport report = ModelBundle.validate(folder);
    assertEquals(1, report.findings().size());
    assertTrue(report.lines().get(0).startsWith("FAIL Bundle folder " + folder + " has no manifest.json."));
    assertTrue(report.memory().isEmpty());
  }
}
