package org.worldexplorer.runtime.session;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;
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
      assertEquals(c.get("hidden").asLong(), expected.shape[expected.shape.length - 1], name + ": golden width");
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxTensor tensor = (OnnxTensor) result.get(outputName).orElseThrow();
        assertEquals(Arrays.toString(expected.shape), Arrays.toString(tensor.getInfo().getShape()),
            name + ": output shape");
        float[] actual = new float[expected.floats.length];
        tensor.getFloatBuffer().get(actual);
        double maxError = 0;
        double maxExpected = 0;
        for (int i = 0; i < actual.length; i++) {
          assertTrue(Float.isFinite(actual[i]), name + ": output " + i + " is not finite");
          maxError = Math.max(maxError, Math.abs(actual[i] - expected.floats[i]));
          maxExpected = Math.max(maxExpected, Math.abs(expected.floats[i]));
        }
        assertTrue(maxExpected > 0.1, name + ": the expected output should not be near zero: " + maxExpected);
        double relative = maxError / maxExpected;
        System.out.printf("%s: max |java - torch| = %.3g of max %.3g, relative %.3g%n", name, maxError, maxExpected,
            relative);
        assertTrue(relative <= TOLERANCE, name + ": relative error " + relative + " exceeds " + TOLERANCE);
      }
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  /** A little-endian float32 or int64 .npy file, C order. */
  private record Npy(long[] shape, float[] floats, long[] longs) {

    static Npy read(Path file) throws Exception {
      byte[] bytes = Files.readAllBytes(file);
      int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
      String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
      if (header.contains("'fortran_order': True")) {
        fail(file + " is in Fortran order");
      }
      int open = header.indexOf("'shape': (") + 10;
      long[] shape = Arrays.stream(header.substring(open, header.indexOf(')', open)).split(","))
          .map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
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
