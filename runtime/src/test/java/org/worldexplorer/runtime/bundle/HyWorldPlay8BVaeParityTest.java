package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.worldexplorer.runtime.Npy;
import org.worldexplorer.runtime.ParityError;

/**
 * The HY-WorldPlay 8B VAE exporter's three graphs at full width (all 1.26B parameters, synthetic weights, fp32) at
 * a 32x48 video, run through the runtime's session factory on the CPU against PyTorch: every output, frames and
 * decoder caches included, within a relative error of 1e-4. The graphs are traced at the transposed latent grid
 * (3x2), so this also checks that their sizes follow the inputs. Python writes the checkpoint, graphs and golden
 * files. Skips when /usr/bin/python3 cannot import torch, onnx and numpy, unless WORLDEXPLORER_REQUIRE_ALL_TESTS is
 * set.
 */
class HyWorldPlay8BVaeParityTest {

  @Test
  void theExportedGraphsReproducePyTorch(@TempDir Path temp) throws Exception {
    // Full-channel VAE graphs: minutes and several GB of graphs to write; a development-machine check.
    Assumptions.assumeTrue(System.getenv("WORLDEXPLORER_SLOW_TESTS") != null,
        "the full-channel VAE export takes minutes and GBs: set WORLDEXPLORER_SLOW_TESTS=1");
    ModelsPython.require("the 8B VAE parity check", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path out = temp.resolve("vae").toAbsolutePath();
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "worldexplorer_models.hy_worldplay_8b.vae_parity",
        "--out", out.toString()), 1500);
    Path golden = out.resolve("golden");
    JsonNode index = new ObjectMapper().readTree(golden.resolve("index.json").toFile());
    double tolerance = index.get("tolerance").get("relative").asDouble();
    assertEquals(1e-4, tolerance, "the issue asks for a relative error of at most 1e-4");
    assertEquals(3, index.get("cases").size(), "one case per VAE graph");

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults())) {
      for (JsonNode testCase : index.get("cases")) {
        checkCase(env, factory, out, golden, testCase, tolerance);
      }
    }
  }

  private static void checkCase(OrtEnvironment env, SessionFactory factory, Path out, Path golden, JsonNode testCase,
      double tolerance) throws Exception {
    String graph = testCase.get("graph").asText();
    try (OrtSession session = factory.open(out.resolve(testCase.get("file").asText()))) {
      List<String> order = new ArrayList<>();
      testCase.get("input_order").forEach(n -> order.add(n.asText()));
      assertEquals(order, new ArrayList<>(session.getInputNames()), graph + ": inputs, in the contract's order");
      Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
      try {
        for (String name : order) {
          inputs.put(name, Npy.read(golden.resolve(testCase.get("inputs").get(name).asText() + ".npy")).tensor(env));
        }
        try (OrtSession.Result result = session.run(inputs)) {
          var outputs = testCase.get("outputs").fields();
          while (outputs.hasNext()) {
            var entry = outputs.next();
            Npy expected = Npy.read(golden.resolve(entry.getValue().asText() + ".npy"));
            OnnxTensor actual = (OnnxTensor) result.get(entry.getKey()).orElseThrow();
            compare(graph + " " + entry.getKey(), expected, actual, tolerance);
          }
        }
      } finally {
        for (OnnxTensor t : inputs.values()) {
          t.close();
        }
      }
    }
  }

  private static void compare(String what, Npy expected, OnnxTensor tensor, double tolerance) {
    assertEquals(Arrays.toString(expected.shape()), Arrays.toString(tensor.getInfo().getShape()), what + " shape");
    ParityError.check("8B VAE " + what, expected.floats(), Npy.ofFloatTensor(tensor).floats(), 0.1, tolerance);
  }
}
