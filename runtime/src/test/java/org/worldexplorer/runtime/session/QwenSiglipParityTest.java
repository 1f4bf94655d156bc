package org.worldexplorer.runtime.session;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;
import org.worldexplorer.runtime.Npy;
import org.worldexplorer.runtime.ParityError;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.SessionFactory;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * The 8B's conditioning encoders as exported by {@code models/}: the Qwen2.5-VL text LLM
 * ({@code text_encoder_llm}) and the SigLIP vision encoder ({@code image_encoder}), each at a tiny size and at full
 * width with one layer, fp32, run through the runtime's session factory on the CPU against PyTorch: relative error
 * (max |java - torch| / max |torch|) at most 1e-4. Python writes synthetic checkpoints, exports them and writes the
 * golden inputs and outputs (the graphs are too big to commit). Skips when /usr/bin/python3 cannot import torch,
 * onnx and numpy, unless WORLDEXPLORER_REQUIRE_ALL_TESTS is set.
 */
class QwenSiglipParityTest {

  private static final double TOLERANCE = 1e-4;

  @Test
  void theTextLlmGraphsReproducePyTorch(@TempDir Path temp) throws Exception {
    checkCases(temp, "worldexplorer_models.text_qwen.parity", "text_encoder_llm");
  }

  @Test
  void theVisionEncoderGraphsReproducePyTorch(@TempDir Path temp) throws Exception {
    checkCases(temp, "worldexplorer_models.vision_siglip.parity", "image_encoder");
  }

  private static void checkCases(Path temp, String module, String graphKey) throws Exception {
    ModelsPython.require("the Qwen/SigLIP parity check", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path out = temp.resolve("encoders").toAbsolutePath();
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", module, "--out", out.toString()), 900);
    JsonNode cases = new ObjectMapper().readTree(out.resolve("golden.json").toFile()).get("cases");
    List<String> names = new ArrayList<>();
    cases.forEach(c -> names.add(c.get("name").asText()));
    assertEquals(List.of(graphKey + " tiny", graphKey + " narrow"), names, "the parity cases Python wrote");
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults())) {
      for (JsonNode c : cases) {
        assertEquals(TOLERANCE, c.get("tolerance").get("relative").asDouble(), "the relative tolerance asked for");
        checkCase(factory, out, c);
      }
    }
  }

  private static void checkCase(SessionFactory factory, Path out, JsonNode c) throws Exception {
    String name = c.get("name").asText();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try (OrtSession session = factory.open(out.resolve(c.get("graph").asText()))) {
      List<String> wanted = new ArrayList<>();
      c.get("inputs").fieldNames().forEachRemaining(wanted::add);
      assertEquals(wanted, new ArrayList<>(session.getInputNames()), name + ": graph inputs, in contract order");
      for (String input : wanted) {
        inputs.put(input, Npy.read(out.resolve(c.get("inputs").get(input).asText())).tensor(env));
      }
      String outputName = c.get("output").fieldNames().next();
      Npy expected = Npy.read(out.resolve(c.get("output").get(outputName).asText()));
      long[] shape = expected.shape();
      assertEquals(c.get("hidden").asLong(), shape[shape.length - 1], name + ": golden width");
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxTensor tensor = (OnnxTensor) result.get(outputName).orElseThrow();
        assertEquals(Arrays.toString(shape), Arrays.toString(tensor.getInfo().getShape()),
            name + ": output shape");
        ParityError.check(name, expected.floats(), Npy.ofFloatTensor(tensor).floats(), 0.1, TOLERANCE);
      }
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }
}
