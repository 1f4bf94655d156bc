package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundleContractTest {

  private static Manifest manifest;
  private static BundleContract contract;

  @BeforeAll
  static void readValidManifest() throws BundleException {
    manifest = ManifestReader.read(TestBundles.path("valid").resolve("manifest.json"));
    contract = BundleContract.of(manifest);
  }

  @Test
  void fixedSizesComeFromTheManifest() {
    // C = 4, h = 3, w = 5, L = 4, H = 24, W = 40, S = 4, Z = 10, text dim 6.
    assertEquals("[1, 3, 24, 40]", shape(BundleContract.VAE_ENCODER, "image"));
    assertEquals("[1, 4, 3, 5]", outputShape(BundleContract.VAE_ENCODER, "image_latent"));
    assertEquals("[1, 4, n_ctx, 3, 5]", shape(BundleContract.DIT_CHUNK, "context_latents"));
    assertEquals("[n_ctx, 4, 4]", shape(BundleContract.DIT_CHUNK, "context_w2c"));
    assertEquals("[1, 4, 4, 3, 5]", shape(BundleContract.DIT_CHUNK, "chunk_noise"));
    assertEquals("[4, 3, 3]", shape(BundleContract.DIT_CHUNK, "chunk_intrinsics"));
    assertEquals("[5]", shape(BundleContract.DIT_CHUNK, "sigmas"));
    assertEquals("[1]", shape(BundleContract.DIT_CHUNK, "context_timestep"));
    assertEquals("[1, n_llm, 6]", shape(BundleContract.DIT_CHUNK, "text_llm"));
    assertEquals("[1, n_llm]", shape(BundleContract.DIT_CHUNK, "text_llm_mask"));
    assertEquals("[1, 4, 4, 3, 5]", outputShape(BundleContract.DIT_CHUNK, "chunk_latents"));
    assertEquals("[1, 3, 13, 24, 40]", outputShape(BundleContract.VAE_DECODER_FIRST, "frames"));
    assertEquals("[10]", outputShape(BundleContract.VAE_DECODER_FIRST, "cache_out"));
    assertEquals("[1, 3, 16, 24, 40]", outputShape(BundleContract.VAE_DECODER, "frames"));
    assertEquals("[10]", shape(BundleContract.VAE_DECODER, "cache_in"));
    assertEquals("[1, n_tokens]", shape("text_encoder_llm", "input_ids"));
    assertEquals("[1, n_tokens, 6]", outputShape("text_encoder_llm", "embeds"));
  }

  @Test
  void dtypesFollowTheTables() {
    GraphSpec dit = contract.graph(BundleContract.DIT_CHUNK);
    assertEquals(17, dit.inputs().size());
    for (String name : List.of("context_action", "context_rope_t", "chunk_action", "chunk_rope_t")) {
      assertEquals(DType.INT64, dit.input(name).orElseThrow().dtype(), name);
    }
    assertEquals(DType.FLOAT32, dit.input("chunk_cond_mask").orElseThrow().dtype());
    assertEquals(DType.INT64, contract.graph("text_encoder_llm").input("attention_mask").orElseThrow().dtype());
  }

  @Test
  void theValidManifestFollowsTheContract() {
    for (String key : manifest.graphKeys()) {
      assertEquals(List.of(), ContractCheck.problems(contract.graph(key), manifest.graph(key)), key);
    }
  }

  @Test
  void visionAddsTheImageEncoderAndTheDitInput() {
    Map<String, GraphSpec> graphs = new LinkedHashMap<>(manifest.graphs());
    graphs.put(BundleContract.IMAGE_ENCODER, new GraphSpec("image_encoder.onnx", List.of(), List.of()));
    Manifest withVision = new Manifest(manifest.format(), manifest.version(), manifest.name(),
        manifest.description(), manifest.licence(), manifest.provenance(), manifest.learned(), manifest.video(),
        manifest.latent(), manifest.sampler(), manifest.memory(), manifest.actions(), manifest.camera(),
        manifest.text(), new VisionSpec("image_encoder.onnx", 32, 48, 9, 7), manifest.vae(), manifest.footprint(),
        graphs);
    BundleContract visionContract = BundleContract.of(withVision);
    assertEquals("[1, 3, 32, 48]", Dim.format(
        visionContract.graph("image_encoder").input("pixels").orElseThrow().shape()));
    assertEquals("[1, n_vision, 7]", Dim.format(
        visionContract.graph("image_encoder").output("vision_tokens").orElseThrow().shape()));
    assertEquals("[1, n_vision, 7]", Dim.format(
        visionContract.graph("dit_chunk").input("vision_tokens").orElseThrow().shape()));
    assertEquals(9, visionContract.largestSize("dit_chunk", new Dim.Symbol("n_vision")));
  }

  @Test
  void halfPrecisionMayReplaceAnyFloat32() {
    for (String key : manifest.graphKeys()) {
      GraphSpec required = contract.graph(key);
      for (DType half : List.of(DType.FLOAT16, DType.BFLOAT16)) {
        GraphSpec declared = new GraphSpec(required.file(), withFloats(required.inputs(), half),
            withFloats(required.outputs(), half));
        assertEquals(List.of(), ContractCheck.problems(required, declared), key + " in " + half);
      }
    }
  }

  @Test
  void int64CannotBeReplaced() {
    GraphSpec required = contract.graph(BundleContract.DIT_CHUNK);
    List<TensorSpec> inputs = required.inputs().stream()
        .map(t -> t.name().equals("chunk_rope_t") ? new TensorSpec(t.name(), DType.FLOAT16, t.shape()) : t)
        .toList();
    assertEquals(List.of("dit_chunk.onnx: input 'chunk_rope_t' is float16 in the manifest but the bundle format"
        + " requires int64"), ContractCheck.problems(required, new GraphSpec(required.file(), inputs,
            required.outputs())));
  }

  @Test
  void floatCannotBecomeInt64() {
    GraphSpec required = contract.graph(BundleContract.VAE_DECODER);
    List<TensorSpec> inputs = required.inputs().stream()
        .map(t -> t.name().equals("cache_in") ? new TensorSpec(t.name(), DType.INT64, t.shape()) : t).toList();
    assertEquals(List.of("vae_decoder.onnx: input 'cache_in' is int64 in the manifest but the bundle format"
        + " requires a float type (float32, float16 or bfloat16)"), ContractCheck.problems(required,
            new GraphSpec(required.file(), inputs, required.outputs())));
  }

  @Test
  void largestSymbolSizes() {
    assertEquals(6, contract.largestSize("dit_chunk", new Dim.Symbol("n_ctx")));
    assertEquals(8, contract.largestSize("dit_chunk", new Dim.Symbol("n_llm")));
    assertEquals(8, contract.largestSize("text_encoder_llm", new Dim.Symbol("n_tokens")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> contract.largestSize("dit_chunk", new Dim.Symbol("n_frames")));
    assertEquals("graph 'dit_chunk' uses symbolic size 'n_frames', which the bundle format does not define there",
        e.getMessage());
  }

  @Test
  void graphFileMustBeNamedAfterItsKey() {
    GraphSpec required = contract.graph("vae_encoder");
    GraphSpec renamed = new GraphSpec("encoder.onnx", required.inputs(), required.outputs());
    assertEquals(List.of("graph file is encoder.onnx in the manifest but the bundle format names it"
        + " vae_encoder.onnx"), ContractCheck.problems(required, renamed));
  }

  @Test
  void unknownGraphKeyNamesTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> contract.graph("vae"));
    assertTrue(e.getMessage().contains("[vae_encoder, dit_chunk, vae_decoder_first, vae_decoder,"
        + " text_encoder_llm]"), e.getMessage());
  }

  private static List<TensorSpec> withFloats(List<TensorSpec> tensors, DType half) {
    return tensors.stream().map(t -> t.dtype() == DType.FLOAT32 ? new TensorSpec(t.name(), half, t.shape()) : t)
        .toList();
  }

  private static String shape(String graph, String input) {
    return Dim.format(contract.graph(graph).input(input).orElseThrow().shape());
  }

  private static String outputShape(String graph, String output) {
    return Dim.format(contract.graph(graph).output(output).orElseThrow().shape());
  }
}
