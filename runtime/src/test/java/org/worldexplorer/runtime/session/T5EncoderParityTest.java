package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The T5 text encoders exported by {@code models/worldexplorer_models/text_t5} (the 8B's byT5 glyph encoder at full
 * width, first two blocks; a small UMT5 with per-layer position bias and zeroed padding), run through the runtime's
 * session factory on the CPU against PyTorch: relative error at most 1e-4. Python writes synthetic checkpoints in
 * the published layouts, exports them and writes the golden inputs and outputs (the byT5 graph is 150 MB, too big
 * to commit). Skips when /usr/bin/python3 cannot import torch, onnx and numpy, unless
 * WORLDEXPLORER_REQUIRE_ALL_TESTS is set.
 */
class T5EncoderParityTest {

  @Test
  void bothEncodersReproducePyTorch(@TempDir Path temp) throws Exception {
    ModelsPython.require("the T5 encoder parity check", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path out = temp.resolve("t5").toAbsolutePath();
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "worldexplorer_models.text_t5.parity", "--out",
        out.toString()), 600);
    JsonNode index = new ObjectMapper().readTree(out.resolve("index.json").toFile());
    double tolerance = index.get("tolerance").get("relative").asDouble();
    assertEquals(1e-4, tolerance, "the task asks for a relative error of at most 1e-4");
    List<String> names = new ArrayList<>();
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults())) {
      for (JsonNode testCase : index.get("cases")) {
        names.add(testCase.get("name").asText());
        check(factory, out, testCase, tolerance);
      }
    }
    assertEquals(List.of("byt5", "umt5"), names);
  }

  private static void check(SessionFactory factory, Path out, JsonNode testCase, double tolerance)
      throws Exception {
    String name = testCase.get("name").asText();
    JsonNode files = testCase.get("files");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = factory.open(out.resolve(testCase.get("graph").asText()));
        OnnxTensor ids = longTensor(env, out, files.get("input_ids"));
        OnnxTensor mask = longTensor(env, out, files.get("attention_mask"))) {
      assertEquals(List.of("input_ids", "attention_mask"), new ArrayList<>(session.getInputNames()), name);
      assertEquals(List.of("embeds"), new ArrayList<>(session.getOutputNames()), name);
      float[] expected = TinyGolden.readFloats(out.resolve(files.get("embeds").get("file").asText()));
      long[] shape = shape(files.get("embeds"));
      int dim = testCase.get("dim").asInt();
      assertEquals(dim, shape[2], name + ": embedding width");
      try (OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask))) {
        OnnxTensor embeds = (OnnxTensor) result.get("embeds").orElseThrow();
        assertEquals(Arrays.toString(shape), Arrays.toString(embeds.getInfo().getShape()), name + ": shape");
        float[] actual = Npy.ofFloatTensor(embeds).floats();
        ParityError.check("T5 " + name + " (" + shape[1] + " tokens, d " + dim + ")", expected, actual, 0.1,
            tolerance);
        int real = testCase.get("real_tokens").asInt();
        if (testCase.get("zero_padding").asBoolean()) {
          for (int i = real * dim; i < actual.length; i++) {
            assertTrue(actual[i] == 0.0f, name + ": padded position " + (i / dim) + " must be zero: " + actual[i]);
          }
        }
      }
    }
  }

  private static long[] shape(JsonNode file) {
    long[] shape = new long[file.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = file.get("shape").get(i).asLong();
    }
    return shape;
  }

  /** A raw little-endian int64 file as a tensor of the shape the index gives. */
  private static OnnxTensor longTensor(OrtEnvironment env, Path folder, JsonNode file) throws Exception {
    byte[] bytes = Files.readAllBytes(folder.resolve(file.get("file").asText()));
    long[] values = new long[bytes.length / 8];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
    return new Npy(shape(file), null, values).tensor(env);
  }
}
