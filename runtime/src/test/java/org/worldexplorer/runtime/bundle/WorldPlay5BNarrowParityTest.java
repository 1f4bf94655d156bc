package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;

/**
 * The HY-WorldPlay 5B exporter's dit_chunk graphs run through the runtime's session factory on the CPU, against
 * PyTorch: relative error at most 1e-4. Python writes the graphs and the golden inputs and outputs
 * ({@code worldexplorer_models.worldplay_5b.parity}); each graph has a case with context latents and a chunk-0 case
 * whose latent 0 is the image latent, which must come out unchanged. The tiny graph (the 5B's structure at width 64)
 * always runs; the full-width one-block graph takes minutes to export and runs with WORLDEXPLORER_SLOW_TESTS set.
 * Both keep their weights in external data, as full-size exports do.
 * Skips when /usr/bin/python3 cannot import torch, onnx and numpy, unless WORLDEXPLORER_REQUIRE_ALL_TESTS is set.
 */
class WorldPlay5BNarrowParityTest {

  @Test
  void theTinyGraphReproducesPyTorch(@TempDir Path temp) throws Exception {
    check(temp, "tiny", 300);
  }

  @Test
  void theFullWidthOneBlockGraphReproducesPyTorch(@TempDir Path temp) throws Exception {
    Assumptions.assumeTrue(System.getenv("WORLDEXPLORER_SLOW_TESTS") != null,
        "the full-width export takes minutes: set WORLDEXPLORER_SLOW_TESTS=1");
    check(temp, "narrow", 1800);
  }

  private static void check(Path temp, String graphName, int timeoutSeconds) throws Exception {
    ModelsPython.require("the 5B parity check", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path out = temp.resolve("worldplay5b").toAbsolutePath();
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "worldexplorer_models.worldplay_5b.parity", "--out",
        out.toString(), "--graphs", graphName), timeoutSeconds);
    JsonNode index = new ObjectMapper().readTree(out.resolve("index.json").toFile());
    double tolerance = index.get("tolerance").get("relative").asDouble();
    assertEquals(1e-4, tolerance, "the issue asks for a relative error of at most 1e-4");
    JsonNode graph = index.get("graphs").get(0);
    assertEquals(graphName, graph.get("name").asText());
    List<String> names = new ArrayList<>();
    graph.get("inputs").forEach(n -> names.add(n.asText()));
    String output = index.get("output").asText();

    Path graphFile = out.resolve(graph.get("graph").asText());
    assertTrue(Files.isRegularFile(graphFile.resolveSibling(graphFile.getFileName() + ".data")),
        "the weights lie in external data beside the graph, as in full-size exports");

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults());
        OrtSession session = factory.open(graphFile)) {
      assertEquals(names, new ArrayList<>(session.getInputNames()), "graph inputs, in the contract's order");
      assertEquals(2, graph.get("cases").size(), "a context case and a chunk-0 case");
      for (JsonNode caseNode : graph.get("cases")) {
        Path folder = out.resolve(caseNode.get("folder").asText());
        runCase(env, session, names, folder, output, tolerance, graphName + "/" + caseNode.get("name").asText());
      }
    }
  }

  private static void runCase(OrtEnvironment env, OrtSession session, List<String> names, Path folder, String output,
      double tolerance, String label) throws Exception {
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (String name : names) {
        inputs.put(name, Npy.read(folder.resolve(name + ".npy")).tensor(env));
      }
      Npy expected = Npy.read(folder.resolve(output + ".npy"));
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxTensor tensor = (OnnxTensor) result.get(output).orElseThrow();
        assertEquals(Arrays.toString(expected.shape), Arrays.toString(tensor.getInfo().getShape()), "output shape");
        float[] actual = new float[expected.floats.length];
        tensor.getFloatBuffer().get(actual);
        double maxError = 0;
        double maxExpected = 0;
        for (int i = 0; i < actual.length; i++) {
          assertTrue(Float.isFinite(actual[i]), label + ": output " + i + " is not finite");
          maxError = Math.max(maxError, Math.abs(actual[i] - expected.floats[i]));
          maxExpected = Math.max(maxExpected, Math.abs(expected.floats[i]));
        }
        assertTrue(maxExpected > 0.1, label + ": the expected latents should not be near zero: " + maxExpected);
        double relative = maxError / maxExpected;
        System.out.printf("5B %s: max |java - torch| = %.3g, relative %.3g%n", label, maxError, relative);
        assertTrue(relative <= tolerance, label + ": relative error " + relative + " exceeds " + tolerance);
        checkImageLatentKept(folder, expected.shape, actual, label);
      }
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  /** Where chunk_cond_mask is 1, the graph must return image_latent itself (upstream never updates that latent). */
  private static void checkImageLatentKept(Path folder, long[] shape, float[] actual, String label) throws Exception {
    float[] mask = Npy.read(folder.resolve("chunk_cond_mask.npy")).floats;
    float[] image = Npy.read(folder.resolve("image_latent.npy")).floats;
    int channels = (int) shape[1];
    int latents = (int) shape[2];
    int plane = (int) (shape[3] * shape[4]);
    for (int l = 0; l < latents; l++) {
      if (mask[l] != 1f) {
        continue;
      }
      double worst = 0;
      for (int ch = 0; ch < channels; ch++) {
        for (int p = 0; p < plane; p++) {
          worst = Math.max(worst, Math.abs(actual[(ch * latents + l) * plane + p] - image[ch * plane + p]));
        }
      }
      assertTrue(worst <= 1e-6, label + ": latent " + l + " should be the image latent, differs by " + worst);
    }
  }

  /** A little-endian float32 or int64 .npy file, C order. */
  private record Npy(long[] shape, float[] floats, long[] longs) {

    static Npy read(Path file) throws Exception {
      byte[] bytes = Files.readAllBytes(file);
      int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
      String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
      int shapeAt = header.indexOf("'shape': (") + 10;
      String shapeText = header.substring(shapeAt, header.indexOf(")", shapeAt));
      long[] shape = Arrays.stream(shapeText.split(",")).map(String::strip).filter(s -> !s.isEmpty())
          .mapToLong(Long::parseLong).toArray();
      if (header.contains("'fortran_order': True")) {
        fail(file + " is in Fortran order");
      }
      ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength)
          .order(ByteOrder.LITTLE_ENDIAN);
      int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      if (header.contains("'<f4'")) {
        float[] values = new float[count];
        data.asFloatBuffer().get(values);
        return new Npy(shape, values, null);
      }
      if (header.contains("'<i8'")) {
        long[] values = new long[count];
        data.asLongBuffer().get(values);
        return new Npy(shape, null, values);
      }
      throw new IllegalArgumentException(file + ": only float32 and int64 are read here, header " + header);
    }

    OnnxTensor tensor(OrtEnvironment env) throws Exception {
      if (floats != null) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(floats.length * 4).order(ByteOrder.nativeOrder());
        buffer.asFloatBuffer().put(floats);
        return OnnxTensor.createTensor(env, buffer.asFloatBuffer(), shape);
      }
      ByteBuffer buffer = ByteBuffer.allocateDirect(longs.length * 8).order(ByteOrder.nativeOrder());
      buffer.asLongBuffer().put(longs);
      return OnnxTensor.createTensor(env, buffer.asLongBuffer(), shape);
    }
  }
}
