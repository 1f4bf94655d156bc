package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Load check 4 for a symbol the manifest fixes to one value. An image encoder exported from SigLIP takes a fixed
 * 384 x 384 image, so ONNX Runtime's shape inference states its output as [1, 729, 1152] even though the graph
 * declares n_vision dynamic; that is vision.tokens, and the bundle is right. Any other size, and a fixed size for
 * a symbol that varies (n_tokens), is still reported. Uses the text-vision test bundle's manifest (vision.tokens 30,
 * dim 6, image 6 x 10).
 */
class SignatureCheckFixedSymbolTest {

  private static final Path TEXT_VISION = Path.of("src", "test", "resources", "bundles", "text-vision");

  private static Manifest manifest() throws BundleException {
    return ManifestReader.read(TEXT_VISION.resolve(ManifestReader.FILE_NAME));
  }

  private static Map<String, NodeInfo> tensor(String name, OnnxJavaType type, long... shape) throws OrtException {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    Buffer buffer = type == OnnxJavaType.INT64 ? LongBuffer.allocate((int) count) : FloatBuffer.allocate((int) count);
    return Map.of(name, new NodeInfo(name, TensorInfo.constructFromBuffer(buffer, shape, type)));
  }

  private static List<String> imageEncoderProblems(long tokens) throws Exception {
    Manifest manifest = manifest();
    return SignatureCheck.problems(manifest, manifest.graph(BundleContract.IMAGE_ENCODER),
        tensor("pixels", OnnxJavaType.FLOAT, 1, 3, 6, 10), tensor("vision_tokens", OnnxJavaType.FLOAT, 1, tokens, 6));
  }

  @Test
  void anImageEncoderMayStateVisionTokensAsAFixedSize() throws Exception {
    assertEquals(List.of(), imageEncoderProblems(30));
  }

  @Test
  void anotherFixedVisionTokenCountIsReported() throws Exception {
    List<String> problems = imageEncoderProblems(29);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("image_encoder.onnx: output 'vision_tokens' has shape [1, n_vision, 6] in the manifest but "
        + "[1, 29, 6] in the graph; the symbolic size n_vision must be a dynamic axis of the graph (export it with"
        + " dynamic_axes) or 30, its value in this manifest", problems.get(0));
  }

  @Test
  void aFixedTokenCountInATextEncoderIsStillReported() throws Exception {
    Manifest manifest = manifest();
    List<String> problems = SignatureCheck.problems(manifest, manifest.graph("text_encoder_llm"),
        merged(tensor("input_ids", OnnxJavaType.INT64, 1, 30), tensor("attention_mask", OnnxJavaType.INT64, 1, 30)),
        tensor("embeds", OnnxJavaType.FLOAT, 1, 30, 6));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("the symbolic size n_tokens must be a dynamic axis of the graph (export it "
        + "with dynamic_axes)") && !problems.get(0).contains("its value"), problems.get(0));
  }

  private static Map<String, NodeInfo> merged(Map<String, NodeInfo> a, Map<String, NodeInfo> b) {
    java.util.LinkedHashMap<String, NodeInfo> all = new java.util.LinkedHashMap<>(a);
    all.putAll(b);
    return all;
  }
}
