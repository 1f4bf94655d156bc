package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening bundles: each load check, in order, and the lifecycle. */
class ModelBundleLoadTest {

  private static final SessionSettings ONE_THREAD = SessionSettings.defaults().withIntraOpThreads(1);

  @TempDir
  Path temp;

  @Test
  void opensTheValidBundleOnTheCpu() throws BundleException {
    try (ModelBundle bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.CPU, ONE_THREAD)) {
      assertEquals(ExecutionProvider.CPU, bundle.provider());
      assertTrue(bundle.fallbackReason().isEmpty());
      assertEquals("valid", bundle.manifest().name());
      assertEquals(17, bundle.session("dit_chunk").getNumInputs());
    }
  }

  @Test
  void autoFallsBackToTheCpuAndSaysWhy() throws BundleException {
    try (ModelBundle bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.AUTO, ONE_THREAD)) {
      assertEquals(ExecutionProvider.CPU, bundle.provider());
      String reason = bundle.fallbackReason().orElseThrow();
      assertTrue(reason.startsWith("CUDA is not available: "), reason);
      assertTrue(reason.contains("CPU build"), reason);
    }
  }

  @Test
  void cudaOnACpuBuildIsAClearError() {
    String message = failure(TestBundles.path("valid"), ExecutionProvider.CUDA);
    assertTrue(message.startsWith("CUDA was requested (--device cuda) but this ONNX Runtime build has no CUDA"
        + " execution provider"), message);
    assertTrue(message.contains("--device cpu"), message);
    assertTrue(message.contains("-Pcuda"), message);
    assertTrue(message.contains("CUDA 12"), message);
  }

  @Test
  void missingFolder() {
    Path nowhere = temp.resolve("no-such-bundle");
    assertEquals("Bundle folder " + nowhere + " does not exist. Pass --bundle <folder> with a model bundle"
        + " (a folder with manifest.json), or build one with models/.", failure(nowhere));
  }

  @Test
  void fileInsteadOfFolder() throws IOException {
    Path file = Files.writeString(temp.resolve("bundle.zip"), "zip");
    assertTrue(failure(file).contains("is a file, not a bundle folder"));
  }

  @Test
  void missingManifest() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Files.delete(folder.resolve("manifest.json"));
    assertTrue(failure(folder).startsWith("Bundle folder " + folder + " has no manifest.json."));
  }

  @Test
  void corruptManifestGivesLineAndColumn() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Path manifest = folder.resolve("manifest.json");
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.substring(0, text.indexOf("\"video\"")));
    String message = failure(folder);
    assertTrue(message.contains("manifest.json is not valid JSON (line "), message);
    assertTrue(message.contains(", column "), message);
  }

  @Test
  void missingGraphFileNamesFileFolderAndRemedy() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Files.delete(folder.resolve("vae_decoder.onnx"));
    assertEquals("Bundle folder " + folder + " has no vae_decoder.onnx (graph 'vae_decoder' in manifest.json)."
        + " Rebuild the bundle with models/ or pass --bundle <folder> to use another one.", failure(folder));
  }

  @Test
  void missingTokenizerFile() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Files.delete(folder.resolve("tokenizer_llm.json"));
    assertTrue(failure(folder).contains("has no tokenizer_llm.json (tokenizer of text stream 'llm' in"
        + " manifest.json)"));
  }

  @Test
  void bytesTokenizerNeedsNoFile() throws BundleException, IOException {
    Path folder = TestBundles.withManifest(temp, root -> ((ObjectNode) root.with("text").withArray("streams").get(0))
        .with("tokenizer").put("kind", "bytes").putNull("file"));
    Files.delete(folder.resolve("tokenizer_llm.json"));
    try (ModelBundle bundle = ModelBundle.open(folder, ExecutionProvider.CPU, ONE_THREAD)) {
      assertEquals("bytes", bundle.manifest().text().streams().get(0).tokenizer().kind());
    }
  }

  @Test
  void missingPromptCacheIndex() throws IOException {
    Path folder = TestBundles.withManifest(temp, root -> root.with("text").put("prompt_cache", "prompt_cache"));
    assertEquals("Bundle folder " + folder + " has no prompt_cache/index.json (text.prompt_cache in"
        + " manifest.json). Rebuild the bundle with models/ or pass --bundle <folder> to use another one.",
        failure(folder));
    Files.createDirectories(folder.resolve("prompt_cache"));
    Files.writeString(folder.resolve("prompt_cache/index.json"), "{\"prompts\": []}");
    assertDoesNotThrow(() -> ModelBundle.open(folder, ExecutionProvider.CPU, ONE_THREAD).close());
  }

  @Test
  void corruptGraphFile() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Path graph = folder.resolve("dit_chunk.onnx");
    byte[] bytes = Files.readAllBytes(graph);
    Files.write(graph, Arrays.copyOf(bytes, bytes.length / 3));
    String message = failure(folder);
    assertTrue(message.startsWith("dit_chunk.onnx in " + folder + " could not be loaded by ONNX Runtime: "),
        message);
    assertTrue(message.contains("truncated or corrupt"), message);
  }

  // Check 3: the manifest entry against the bundle format.

  @Test
  void manifestShapeThatBreaksTheFormat() {
    Path folder = TestBundles.withManifest(temp, root -> shape(root, "dit_chunk", 6).set(2, root.numberNode(3)));
    assertEquals("dit_chunk.onnx: input 'chunk_noise' has shape [1, 4, 3, 3, 5] in the manifest but the bundle"
        + " format requires [1, 4, 4, 3, 5] (fixed sizes follow from the manifest's latent, video, sampler, vae,"
        + " text and vision sections)", failure(folder));
  }

  @Test
  void manifestOutputThatBreaksTheFormat() {
    Path folder = TestBundles.withManifest(temp, root -> ((ArrayNode) ((ObjectNode) root.with("graphs")
        .with("vae_decoder").withArray("outputs").get(0)).get("shape")).set(2, root.numberNode(13)));
    assertTrue(failure(folder).startsWith("vae_decoder.onnx: output 'frames' has shape [1, 3, 13, 24, 40] in the"
        + " manifest but the bundle format requires [1, 3, 16, 24, 40]"));
  }

  @Test
  void manifestFixedSizeWhereTheFormatHasASymbol() {
    Path folder = TestBundles.withManifest(temp, root -> shape(root, "dit_chunk", 0).set(2, root.numberNode(6)));
    assertTrue(failure(folder).startsWith("dit_chunk.onnx: input 'context_latents' has shape [1, 4, 6, 3, 5] in"
        + " the manifest but the bundle format requires [1, 4, n_ctx, 3, 5]"));
  }

  @Test
  void manifestDtypeThatBreaksTheFormat() {
    Path folder = TestBundles.withManifest(temp, root -> TestBundles.input(root, "dit_chunk", 9)
        .put("dtype", "float32"));
    assertEquals("dit_chunk.onnx: input 'chunk_action' is float32 in the manifest but the bundle format requires"
        + " int64", failure(folder));
  }

  @Test
  void manifestWithoutARequiredInput() {
    Path folder = TestBundles.withManifest(temp, root -> root.with("graphs").with("dit_chunk").withArray("inputs")
        .remove(13));
    assertEquals("dit_chunk.onnx: the manifest lists no input 'sigmas'; the bundle format requires float32 [5]",
        failure(folder));
  }

  @Test
  void manifestWithAnInputTheFormatLacks() {
    Path folder = TestBundles.withManifest(temp, root -> {
      ObjectNode extra = TestBundles.input(root, "vae_encoder", 0).deepCopy();
      extra.put("name", "mask");
      root.with("graphs").with("vae_encoder").withArray("inputs").add(extra);
    });
    assertEquals("vae_encoder.onnx: the manifest lists input 'mask', which the bundle format does not define for"
        + " this graph; its inputs are image", failure(folder));
  }

  // Check 4: the real graphs against the manifest.

  @Test
  void graphWithAWrongFixedSize() {
    assertEquals("dit_chunk.onnx: input 'chunk_noise' has shape [1, 4, 4, 3, 5] in the manifest but"
        + " [1, 4, 4, 3, 6] in the graph", failure(TestBundles.path("graph-wrong-size")));
  }

  @Test
  void graphMissingAnInput() {
    String message = failure(TestBundles.path("graph-missing-input"));
    assertTrue(message.startsWith("dit_chunk.onnx: the manifest lists input 'context_timestep' but the graph has"
        + " no such input; the graph's inputs are ["), message);
  }

  @Test
  void graphWithAnInputTheManifestLacks() throws BundleException, OrtException {
    try (ModelBundle bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.CPU, ONE_THREAD)) {
      OrtSession session = bundle.session("vae_decoder");
      GraphSpec declared = bundle.manifest().graph("vae_decoder");
      GraphSpec withoutCache = new GraphSpec(declared.file(), declared.inputs().subList(0, 1), declared.outputs());
      assertEquals(List.of("vae_decoder.onnx: the graph has input 'cache_in', which the manifest does not list"),
          SignatureCheck.problems(withoutCache, session.getInputInfo(), session.getOutputInfo()));
    }
  }

  @Test
  void graphWithAWrongDtype() {
    assertEquals("dit_chunk.onnx: input 'chunk_action' is int64 in the manifest but float32 in the graph",
        failure(TestBundles.path("graph-wrong-dtype")));
  }

  @Test
  void manifestHalfDtypeOnAFloat32Graph() {
    Path folder = TestBundles.withManifest(temp, root -> TestBundles.input(root, "dit_chunk", 6)
        .put("dtype", "bfloat16"));
    assertEquals("dit_chunk.onnx: input 'chunk_noise' is bfloat16 in the manifest but float32 in the graph",
        failure(folder));
  }

  @Test
  void opensHalfPrecisionBoundaries() throws BundleException {
    try (ModelBundle bundle = ModelBundle.open(TestBundles.path("half-boundaries"), ExecutionProvider.CPU,
        ONE_THREAD)) {
      assertEquals(DType.BFLOAT16, bundle.manifest().graph("vae_decoder").output("cache_out").orElseThrow().dtype());
      assertEquals(DType.FLOAT16, bundle.manifest().graph("dit_chunk").input("text_llm").orElseThrow().dtype());
    }
  }

  @Test
  void manifestFloat32OnAHalfGraph() {
    Path folder = TestBundles.withManifest("half-boundaries", temp, root -> TestBundles.output(root, "dit_chunk", 0)
        .put("dtype", "float32"));
    assertEquals("dit_chunk.onnx: output 'chunk_latents' is float32 in the manifest but float16 in the graph",
        failure(folder));
  }

  @Test
  void manifestHalfTypeThatIsTheOtherHalfType() {
    Path folder = TestBundles.withManifest("half-boundaries", temp, root -> TestBundles.input(root, "vae_decoder", 1)
        .put("dtype", "bfloat16"));
    assertEquals("vae_decoder.onnx: input 'cache_in' is bfloat16 in the manifest but float16 in the graph",
        failure(folder));
  }

  @Test
  void graphThatFixedASymbolicSize() {
    assertEquals("dit_chunk.onnx: input 'context_latents' has shape [1, 4, n_ctx, 3, 5] in the manifest but"
        + " [1, 4, 3, 3, 5] in the graph; the symbolic size n_ctx must be a dynamic axis of the graph (export it"
        + " with dynamic_axes)", failure(TestBundles.path("graph-fixed-symbol")));
  }

  @Test
  void manifestThatDisagreesWithItsGraphs() {
    assertEquals("vae_encoder.onnx: input 'image' has shape [1, 3, 24, 48] in the manifest but [1, 3, 24, 40] in"
        + " the graph", failure(TestBundles.path("manifest-disagrees")));
  }

  // Lifecycle.

  @Test
  void useAfterCloseIsAnIllegalState() throws BundleException {
    ModelBundle bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.CPU, ONE_THREAD);
    bundle.close();
    bundle.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> bundle.session("dit_chunk"));
    assertEquals("model bundle 'valid' is closed; open it again to run its graphs", e.getMessage());
    assertThrows(IllegalStateException.class, () -> bundle.run("vae_encoder", Map.of()));
  }

  @Test
  void unknownGraphKey() throws BundleException {
    try (ModelBundle bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.CPU, ONE_THREAD)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bundle.session("dit"));
      assertFalse(e.getMessage().isEmpty());
      assertTrue(e.getMessage().contains("[vae_encoder, dit_chunk, vae_decoder_first, vae_decoder,"
          + " text_encoder_llm]"), e.getMessage());
    }
  }

  private static ArrayNode shape(ObjectNode root, String graph, int input) {
    return (ArrayNode) TestBundles.input(root, graph, input).get("shape");
  }

  private static String failure(Path folder) {
    return failure(folder, ExecutionProvider.CPU);
  }

  private static String failure(Path folder, ExecutionProvider provider) {
    return assertThrows(BundleException.class, () -> ModelBundle.open(folder, provider, ONE_THREAD).close())
        .getMessage();
  }
}
