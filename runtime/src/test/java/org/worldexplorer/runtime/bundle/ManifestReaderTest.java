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
        new TokenizerSpec("simple", "tokenizer_llm.json"), PromptSpec.plain()), llm);
    assertNull(m.text().promptCache());
    assertNull(m.footprint());
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
    Files.writeString(file, "{\n  \"format\": \"worldexplorer-bundle\",\n  \"version\": 2,,\n}");
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
    String message = failure(root -> root.put("version", "2"));
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
    assertTrue(failure(root -> root.put("version", 3)).contains("version must be 2, got 3: this bundle was made by"
        + " a newer worldexplorer"));
  }

  @Test
  void versionOneIsRefusedWithWhatToDo() {
    String message = failure(root -> root.put("version", 1));
    assertTrue(message.contains("version must be 2, got 1: this bundle was made by an older worldexplorer"),
        message);
    assertTrue(message.contains("re-export it with this version's models/"), message);
    assertTrue(message.contains("models/build_reference_bundles.sh"), message);
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
    assertTrue(message.contains("tokenizer.kind must be \"huggingface\", \"simple\" or \"bytes\", got"
        + " \"sentencepiece\""), message);
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
    String message = failure(root -> TestBundles.input(root, "dit_chunk", 0).put("dtype", "float64"));
    assertTrue(message.contains("dtype must be \"float32\", \"float16\", \"bfloat16\" or \"int64\", got"
        + " \"float64\""), message);
  }

  @Test
  void halfPrecisionDtypesAreRead() throws BundleException {
    Manifest m = read(root -> {
      TestBundles.input(root, "dit_chunk", 0).put("dtype", "float16");
      TestBundles.input(root, "dit_chunk", 6).put("dtype", "bfloat16");
    });
    assertEquals(DType.FLOAT16, m.graph("dit_chunk").input("context_latents").orElseThrow().dtype());
    assertEquals(DType.BFLOAT16, m.graph("dit_chunk").input("chunk_noise").orElseThrow().dtype());
    assertEquals(2, DType.BFLOAT16.bytes());
  }

  // Text streams: tokenizer kinds, prompt preparation, prompt cache.

  @Test
  void bytesTokenizerHasNoFile() throws BundleException {
    Manifest m = read(root -> stream(root).with("tokenizer").put("kind", "bytes").putNull("file"));
    assertEquals(new TokenizerSpec("bytes", null), m.text().streams().get(0).tokenizer());
    String message = failure(root -> stream(root).with("tokenizer").put("kind", "bytes"));
    assertTrue(message.contains("tokenizer.file must be null for kind \"bytes\" (it needs no file), got"
        + " \"tokenizer_llm.json\""), message);
  }

  @Test
  void fileTokenizersNeedTheirFile() {
    String message = failure(root -> stream(root).with("tokenizer").putNull("file"));
    assertTrue(message.contains("tokenizer.file (kind \"simple\") is missing (null)"), message);
    assertTrue(message.contains("at text.streams[0].tokenizer"), message);
  }

  @Test
  void aNullCropStartIsOnlyForTemplates() throws BundleException {
    Manifest m = read(root -> stream(root).with("prompt").put("kind", "template")
        .put("template", "<|system|>Describe.<|user|>{prompt}<|end|>").putNull("crop_start"));
    PromptSpec prompt = m.text().streams().get(0).prompt();
    assertTrue(prompt.cropCountedByHost());
    assertEquals("<|system|>Describe.<|user|>", prompt.templatePrefix());
    assertTrue(failure(root -> stream(root).with("prompt").putNull("crop_start"))
        .contains("prompt.crop_start must be 0 for kind \"plain\""));
  }

  @Test
  void templatePromptIsRead() throws BundleException {
    Manifest m = read(root -> stream(root).with("prompt").put("kind", "template")
        .put("template", "<|system|>Describe the video.<|user|>{prompt}<|end|>").put("crop_start", 5));
    TextStream llm = m.text().streams().get(0);
    assertEquals(new PromptSpec("template", "<|system|>Describe the video.<|user|>{prompt}<|end|>", 5),
        llm.prompt());
    assertEquals(13, llm.encoderTokens());
    assertEquals(13, BundleContract.of(m).largestSize("text_encoder_llm", new Dim.Symbol("n_tokens")));
    assertEquals(8, BundleContract.of(m).largestSize("dit_chunk", new Dim.Symbol("n_llm")));
  }

  @Test
  void templateNeedsExactlyOnePromptPlaceholder() {
    String none = failure(root -> stream(root).with("prompt").put("kind", "template")
        .put("template", "Describe the video: <prompt>").put("crop_start", 4));
    assertTrue(none.contains("prompt.template must contain \"{prompt}\" exactly once (where the typed prompt"
        + " goes), found it 0 times"), none);
    assertTrue(none.contains("at text.streams[0].prompt"), none);
    String two = failure(root -> stream(root).with("prompt").put("kind", "template")
        .put("template", "{prompt} and {prompt}").put("crop_start", 0));
    assertTrue(two.contains("found it 2 times"), two);
    assertTrue(failure(root -> stream(root).with("prompt").put("kind", "template"))
        .contains("prompt.template (kind \"template\") is missing (null)"));
  }

  @Test
  void onlyTemplatesHaveATemplateOrACrop() {
    assertTrue(failure(root -> stream(root).with("prompt").put("template", "{prompt}")).contains(
        "prompt.template must be null for kind \"plain\"; only kind \"template\" has a template"));
    assertTrue(failure(root -> stream(root).with("prompt").put("kind", "quoted_glyphs").put("crop_start", 3))
        .contains("prompt.crop_start must be 0 for kind \"quoted_glyphs\", got 3"));
    assertTrue(failure(root -> stream(root).with("prompt").put("kind", "template").put("template", "{prompt}")
        .put("crop_start", -1)).contains("prompt.crop_start must be 0 or more, got -1"));
    assertTrue(failure(root -> stream(root).with("prompt").put("kind", "glyphs")).contains(
        "prompt.kind must be \"plain\", \"template\" or \"quoted_glyphs\", got \"glyphs\""));
  }

  @Test
  void streamWithoutAnEncoderNeedsAPromptCache() {
    String message = failure(root -> {
      stream(root).putNull("graph");
      root.with("graphs").remove("text_encoder_llm");
    });
    assertTrue(message.contains("text stream 'llm' has graph null (no text encoder), which needs"
        + " text.prompt_cache"), message);
    assertTrue(message.contains("\"text_encoder_llm.onnx\""), message);
  }

  @Test
  void streamWithoutAnEncoderHasNoGraphEntry() throws BundleException {
    Manifest m = read(root -> {
      root.with("text").put("prompt_cache", "prompt_cache");
      stream(root).putNull("graph");
      root.with("graphs").remove("text_encoder_llm");
    });
    assertEquals("prompt_cache", m.text().promptCache());
    assertEquals(List.of("vae_encoder", "dit_chunk", "vae_decoder_first", "vae_decoder"), m.graphKeys());
    assertEquals(List.of(), m.text().encodedStreams());
    assertTrue(BundleContract.of(m).graph("dit_chunk").input("text_llm").isPresent());
    String stale = failure(root -> {
      root.with("text").put("prompt_cache", "prompt_cache");
      stream(root).putNull("graph");
    });
    assertTrue(stale.contains("graphs has an entry 'text_encoder_llm' that the bundle format does not define"
        + " here"), stale);
  }

  @Test
  void promptCacheIsAFolderInsideTheBundle() {
    assertTrue(failure(root -> root.with("text").put("prompt_cache", "../cache")).contains(
        "text.prompt_cache must be a plain file name inside the bundle folder"));
  }

  // Footprint.

  @Test
  void footprintIsReadAndEstimated() throws BundleException {
    Manifest m = read(root -> root.set("footprint", footprint(root, "bf16")));
    Footprint f = m.footprint();
    assertEquals(new Footprint("bf16", 17_100_000_000L, 884_736, 1590, 1985, 6_000_000_000L, 2_500_000_000L), f);
    // n = 6 context latents (the valid bundle), L = 4: 1590 × 10 + 1985 = 17,885 tokens of K/V.
    assertEquals(884_736L * 17_885, f.kvBytes(6, 4));
    assertEquals(17_100_000_000L + 884_736L * 17_885 + 6_000_000_000L, f.estimateBytes(6, 4));
    assertEquals(17_100_000_000L + 884_736L * (1590 * 4 + 1985) + 6_000_000_000L, f.estimateBytes(0, 4));
  }

  @Test
  void footprintRanges() {
    assertTrue(failure(root -> root.set("footprint", footprint(root, "int8"))).contains(
        "footprint.dtype must be \"fp32\", \"fp16\" or \"bf16\", got \"int8\""));
    assertTrue(failure(root -> root.set("footprint", footprint(root, "fp16").put("kv_bytes_per_token", -1)))
        .contains("footprint.kv_bytes_per_token must be 0 or more, got -1"));
    assertTrue(failure(root -> root.set("footprint", footprint(root, "fp16").put("decoder_bytes", -5)))
        .contains("footprint.decoder_bytes must be 0 or more, got -5"));
    assertTrue(failure(root -> root.set("footprint", footprint(root, "fp16").put("weight_bytes", 1.5e9)))
        .contains("field 'footprint.weight_bytes' has the wrong type"));
    assertTrue(failure(root -> root.set("footprint", footprint(root, "fp16").put("weight_bytes", Long.MAX_VALUE)))
        .contains("footprint gives a memory estimate beyond 2^63 bytes"));
    assertTrue(failure(root -> root.set("footprint", footprint(root, "fp16").without("text_tokens")))
        .contains("field 'footprint.text_tokens' is missing"));
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

  /** The bundle format's example footprint. */
  private static ObjectNode footprint(ObjectNode root, String dtype) {
    return root.objectNode().put("dtype", dtype).put("weight_bytes", 17_100_000_000L)
        .put("kv_bytes_per_token", 884_736).put("tokens_per_latent", 1590).put("text_tokens", 1985)
        .put("activation_bytes", 6_000_000_000L).put("decoder_bytes", 2_500_000_000L);
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
