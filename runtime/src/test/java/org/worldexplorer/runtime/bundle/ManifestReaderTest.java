package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  @TempDir
  Path temp;

  @Test
  void readsTheValidManifestIntoTypedRecords() throws BundleException {
    Manifest m = ManifestReader.read(TestBundles.path("valid").resolve("manifest.json"));
    assertEquals("valid", m.name());
    assertEquals(new VideoSpec(40, 24, 24), m.video());
    assertEquals(new LatentSpec(4, 3, 5, 4, 4, 8), m.latent());
    assertEquals(new SamplerSpec("flow_match_euler", 4, 5.0, null, 14.0), m.sampler());
    assertEquals(List.of(0, 1, 2, 3), m.memory().alwaysIncluded());
    assertEquals(List.of(60.0, 35.0), m.memory().fovDegrees());
    assertEquals(0.16, m.actions().maxTranslationStep());
    assertEquals(0.89787, m.camera().fy());
    TextStream llm = m.text().streams().get(0);
    assertEquals(new TextStream("llm", "text_encoder_llm.onnx", 6, 8,
        new TokenizerSpec("simple", "tokenizer_llm.json")), llm);
    assertNull(m.vision());
    assertNull(m.licence().file());
    assertEquals(10, m.vae().cacheSize());
    assertEquals(List.of("vae_encoder", "dit_chunk", "vae_decoder_first", "vae_decoder", "text_encoder_llm"),
        List.copyOf(m.graphs().keySet()));
    TensorSpec context = m.graph("dit_chunk").inputs().get(0);
    assertEquals(new TensorSpec("context_latents", DType.FLOAT32,
        List.of(Dim.of(1), Dim.of(4), Dim.of("n_ctx"), Dim.of(3), Dim.of(5))), context);
    assertEquals("[1, 4, n_ctx, 3, 5]", Dim.format(context.shape()));
  }

  @Test
  void acceptsAnExplicitSigmaSchedule() throws BundleException {
    Manifest m = read(root -> sigmas(root, 1, 0.96, 0.8888889, 0.7272728, 0));
    assertEquals(List.of(1.0, 0.96, 0.8888889, 0.7272728, 0.0), m.sampler().sigmas());
  }

  @Test
  void missingManifestSaysWhatABundleHolds() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    BundleException e = assertThrows(BundleException.class,
        () -> ManifestReader.read(empty.resolve("manifest.json")));
    assertTrue(e.getMessage().contains("has no manifest.json"), e.getMessage());
    assertTrue(e.getMessage().contains("--bundle"), e.getMessage());
  }

  @Test
  void corruptJsonNamesLineAndColumn() throws IOException {
    Path file = temp.resolve("manifest.json");
    Files.writeString(file, "{\n  \"format\": \"worldexplorer-bundle\",\n  \"version\": 1,,\n}");
    String message = failure(file);
    assertTrue(message.contains("is not valid JSON (line 3, column 16)"), message);
  }

  @Test
  void unknownFieldIsNamedWithItsSectionAndTheValidFields() {
    String message = failure(root -> {
      ObjectNode latent = root.with("latent");
      latent.set("chanels", latent.remove("channels"));
    });
    assertTrue(message.contains("unknown field 'chanels' in latent"), message);
    assertTrue(message.contains("channels, height, latents_per_chunk"), message);
  }

  @Test
  void missingFieldIsNamed() {
    String message = failure(root -> root.with("sampler").remove("shift"));
    assertTrue(message.contains("field 'sampler.shift' is missing"), message);
  }

  @Test
  void missingNullableSectionMustStillBeWritten() {
    String message = failure(root -> root.remove("vision"));
    assertTrue(message.contains("field 'vision' is missing"), message);
    assertTrue(message.contains("write null"), message);
  }

  @Test
  void numbersAreNotReadFromStrings() {
    String message = failure(root -> root.put("version", "1"));
    assertTrue(message.contains("field 'version' has the wrong type"), message);
  }

  @Test
  void fractionalSizeIsRejected() {
    String message = failure(root -> root.with("latent").put("channels", 4.5));
    assertTrue(message.contains("field 'latent.channels' has the wrong type"), message);
  }

  @Test
  void wrongFormatAndVersion() {
    assertTrue(failure(root -> root.put("format", "other")).contains(
        "format must be \"worldexplorer-bundle\", got \"other\""));
    assertTrue(failure(root -> root.put("version", 2)).contains("version must be 1, got 2"));
  }

  @Test
  void nameMustBeFolderSafe() {
    String message = failure(root -> root.put("name", "My Bundle"));
    assertTrue(message.contains("name must be folder-safe"), message);
    assertTrue(message.contains("got \"My Bundle\""), message);
  }

  @Test
  void sizesMustBePositive() {
    String message = failure(root -> root.with("latent").put("channels", 0));
    assertTrue(message.contains("latent.channels must be at least 1, got 0 (at latent, line"), message);
    assertTrue(failure(root -> root.with("vae").put("cache_size", -3))
        .contains("vae.cache_size must be at least 1, got -3"));
  }

  @Test
  void videoMustBeLatentTimesSpatialCompression() {
    String message = failure(root -> root.with("video").put("width", 41));
    assertTrue(message.contains("video.width must equal latent.width × latent.spatial_compression = 5 × 8 = 40,"
        + " got 41"), message);
  }

  @Test
  void temporalCompressionIsFour() {
    assertTrue(failure(root -> root.with("latent").put("temporal_compression", 8))
        .contains("latent.temporal_compression must be 4"));
  }

  @Test
  void sigmaScheduleRules() {
    assertTrue(failure(root -> sigmas(root, 1, 0.5, 0)).contains(
        "sampler.sigmas must hold steps + 1 = 5 values, got 3"));
    assertTrue(failure(root -> sigmas(root, 0.9, 0.8, 0.5, 0.2, 0)).contains(
        "sampler.sigmas must start at 1 and end at 0"));
    assertTrue(failure(root -> sigmas(root, 1, 0.8, 0.8, 0.2, 0)).contains(
        "sampler.sigmas must decrease strictly, but sigmas[2] = 0.8 follows 0.8"));
  }

  @Test
  void samplerKindIsFlowMatchEuler() {
    assertTrue(failure(root -> root.with("sampler").put("kind", "ddim"))
        .contains("sampler.kind must be \"flow_match_euler\", got \"ddim\""));
  }

  @Test
  void memorySizesMustBeConsistent() {
    assertTrue(failure(root -> root.with("memory").put("temporal_latents", 7)).contains(
        "memory.temporal_latents (7) must not exceed memory.context_latents (6)"));
    assertTrue(failure(root -> root.with("memory").put("temporal_latents", 3)).contains(
        "memory.always_included (4 latents) plus memory.temporal_latents (3) must fit in"
            + " memory.context_latents (6)"));
    assertTrue(failure(root -> root.with("memory").putArray("always_included").add(2).add(1)).contains(
        "memory.always_included must hold distinct latent indices"));
    assertTrue(failure(root -> root.with("memory").putArray("fov_degrees").add(60.0)).contains(
        "memory.fov_degrees must be [horizontal, vertical], got [60.0]"));
  }

  @Test
  void actionLimitsMustNotBeBelowTheSteps() {
    assertTrue(failure(root -> root.with("actions").put("max_translation_step", 0.01)).contains(
        "actions.max_translation_step (0.01) must be at least actions.translation_step (0.08)"));
  }

  @Test
  void tokenizerKindIsChecked() {
    String message = failure(root -> stream(root).with("tokenizer").put("kind", "sentencepiece"));
    assertTrue(message.contains("tokenizer.kind must be \"huggingface\" or \"simple\", got \"sentencepiece\""),
        message);
    assertTrue(message.contains("at text.streams[0].tokenizer"), message);
  }

  @Test
  void filesMustStayInsideTheBundle() {
    assertTrue(failure(root -> stream(root).with("tokenizer").put("file", "../secret.json"))
        .contains("tokenizer.file must be a plain file name inside the bundle folder"));
  }

  @Test
  void graphKeysMustMatchTheTextStreamsAndVision() {
    assertTrue(failure(root -> root.with("graphs").remove("vae_decoder_first")).contains(
        "graphs has no entry 'vae_decoder_first'"));
    String extra = failure(root -> root.with("graphs").set("image_encoder", root.with("graphs").get("vae_encoder")));
    assertTrue(extra.contains("graphs has an entry 'image_encoder' that the bundle format does not define here"),
        extra);
    assertTrue(failure(root -> stream(root).put("name", "t5")).contains("graphs has no entry 'text_encoder_t5'"));
  }

  @Test
  void streamGraphMustBeTheGraphsFile() {
    String message = failure(root -> stream(root).put("graph", "text_encoder_other.onnx"));
    assertTrue(message.contains("text stream 'llm': graph is \"text_encoder_other.onnx\" but"
        + " graphs.text_encoder_llm.file is \"text_encoder_llm.onnx\""), message);
  }

  @Test
  void dtypeOutsideTheFormatNamesTheValidOnes() {
    String message = failure(root -> TestBundles.input(root, "dit_chunk", 0).put("dtype", "float16"));
    assertTrue(message.contains("dtype must be \"float32\" or \"int64\", got \"float16\""), message);
  }

  @Test
  void shapeEntriesAreNumbersOrSymbols() {
    String message = failure(root -> ((ArrayNode) TestBundles.input(root, "dit_chunk", 0).get("shape")).set(0,
        root.booleanNode(true)));
    assertTrue(message.contains("a shape entry must be a whole number"), message);
    assertTrue(message.contains("graphs.dit_chunk.inputs[0].shape[0]"), message);
    assertTrue(failure(root -> ((ArrayNode) TestBundles.input(root, "dit_chunk", 0).get("shape")).set(0,
        root.numberNode(0))).contains("a fixed size must be at least 1, got 0"));
  }

  @Test
  void duplicateKeysAreRejected() throws IOException {
    Path folder = TestBundles.copy("valid", temp);
    Path file = folder.resolve("manifest.json");
    Files.writeString(file, Files.readString(file).replace("\"learned\": false,",
        "\"learned\": false, \"learned\": true,"));
    String message = failure(file);
    assertTrue(message.contains("Duplicate field 'learned'"), message);
  }

  private static ObjectNode stream(ObjectNode root) {
    return (ObjectNode) root.with("text").withArray("streams").get(0);
  }

  private static void sigmas(ObjectNode root, double... values) {
    ArrayNode array = root.with("sampler").putArray("sigmas");
    for (double value : values) {
      array.add(value);
    }
  }

  private Manifest read(Consumer<ObjectNode> edit) throws BundleException {
    return ManifestReader.read(TestBundles.withManifest(temp, edit).resolve("manifest.json"));
  }

  private String failure(Consumer<ObjectNode> edit) {
    return failure(TestBundles.withManifest(temp, edit).resolve("manifest.json"));
  }

  private static String failure(Path file) {
    return assertThrows(BundleException.class, () -> ManifestReader.read(file)).getMessage();
  }
}
