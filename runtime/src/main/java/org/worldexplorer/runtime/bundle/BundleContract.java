package org.worldexplorer.runtime.bundle;

import static org.worldexplorer.runtime.bundle.DType.FLOAT32;
import static org.worldexplorer.runtime.bundle.DType.INT64;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph tables of docs/bundle-format.md in code: for every graph key of a manifest, the inputs and outputs
 * the format requires, with fixed sizes computed from that manifest ({@code C, h, w, L, H, W, S + 1, Z}, text
 * and vision widths). Symbolic sizes stay symbols: {@code n_ctx}, {@code n_<stream>}, {@code n_tokens},
 * {@code n_vision}. Float tensors are written float32, as the format's tables do; {@link ContractCheck} accepts
 * float16 and bfloat16 in their place.
 */
public final class BundleContract {

  /** Start image → image latent. */
  public static final String VAE_ENCODER = "vae_encoder";
  /** One chunk: context pass and all denoising steps. */
  public static final String DIT_CHUNK = "dit_chunk";
  /** The first chunk's decoder. */
  public static final String VAE_DECODER_FIRST = "vae_decoder_first";
  /** Every later chunk's decoder. */
  public static final String VAE_DECODER = "vae_decoder";
  /** Text encoders are {@code text_encoder_<stream>}. */
  public static final String TEXT_ENCODER_PREFIX = "text_encoder_";
  /** The optional vision encoder. */
  public static final String IMAGE_ENCODER = "image_encoder";

  /** Selected context latents, 0 … {@code memory.context_latents}. */
  public static final String N_CTX = "n_ctx";
  /** Token count inside a text encoder graph. */
  public static final String N_TOKENS = "n_tokens";
  /** Vision tokens. */
  public static final String N_VISION = "n_vision";

  private final Manifest manifest;
  private final Map<String, GraphSpec> graphs;

  private BundleContract(Manifest manifest) {
    this.manifest = manifest;
    Map<String, GraphSpec> map = new LinkedHashMap<>();
    map.put(VAE_ENCODER, vaeEncoder());
    map.put(DIT_CHUNK, ditChunk());
    map.put(VAE_DECODER_FIRST, vaeDecoderFirst());
    map.put(VAE_DECODER, vaeDecoder());
    for (TextStream stream : manifest.text().encodedStreams()) {
      map.put(stream.graphKey(), textEncoder(stream));
    }
    if (manifest.vision() != null) {
      map.put(IMAGE_ENCODER, imageEncoder(manifest.vision()));
    }
    this.graphs = Collections.unmodifiableMap(map);
  }

  /** The contract for the graphs of this manifest. */
  public static BundleContract of(Manifest manifest) {
    return new BundleContract(manifest);
  }

  /** Required signature of every graph, by key, in load order. */
  public Map<String, GraphSpec> graphs() {
    return graphs;
  }

  /** Required signature of one graph. */
  public GraphSpec graph(String key) {
    GraphSpec graph = graphs.get(key);
    if (graph == null) {
      throw new IllegalArgumentException("the bundle format defines no graph '" + key + "' for this manifest;"
          + " graphs: " + graphs.keySet());
    }
    return graph;
  }

  /**
   * The largest size a symbol takes in a graph: {@code n_ctx} = {@code memory.context_latents}, a token count in
   * the DiT = the stream's {@code max_tokens}, inside its encoder {@code max_tokens + prompt.crop_start},
   * {@code n_vision} = {@code vision.tokens}.
   */
  public long largestSize(String graphKey, Dim.Symbol symbol) {
    String name = symbol.name();
    if (name.equals(N_CTX)) {
      return manifest.memory().contextLatents();
    }
    if (name.equals(N_VISION) && manifest.vision() != null) {
      return manifest.vision().tokens();
    }
    for (TextStream stream : manifest.text().streams()) {
      if (name.equals(N_TOKENS) && graphKey.equals(stream.graphKey())) {
        return stream.encoderTokens();
      }
      if (name.equals(stream.tokenSymbol())) {
        return stream.maxTokens();
      }
    }
    throw new IllegalArgumentException("graph '" + graphKey + "' uses symbolic size '" + name
        + "', which the bundle format does not define there");
  }

  private GraphSpec vaeEncoder() {
    LatentSpec lat = manifest.latent();
    VideoSpec video = manifest.video();
    return graph(VAE_ENCODER,
        List.of(tensor("image", FLOAT32, 1, 3, video.height(), video.width())),
        List.of(tensor("image_latent", FLOAT32, 1, lat.channels(), lat.height(), lat.width())));
  }

  private GraphSpec ditChunk() {
    LatentSpec lat = manifest.latent();
    int c = lat.channels();
    int h = lat.height();
    int w = lat.width();
    int l = lat.latentsPerChunk();
    List<TensorSpec> inputs = new ArrayList<>(List.of(
        tensor("context_latents", FLOAT32, 1, c, N_CTX, h, w),
        tensor("context_w2c", FLOAT32, N_CTX, 4, 4),
        tensor("context_intrinsics", FLOAT32, N_CTX, 3, 3),
        tensor("context_action", INT64, N_CTX),
        tensor("context_rope_t", INT64, N_CTX),
        tensor("context_cond_mask", FLOAT32, N_CTX),
        tensor("chunk_noise", FLOAT32, 1, c, l, h, w),
        tensor("chunk_w2c", FLOAT32, l, 4, 4),
        tensor("chunk_intrinsics", FLOAT32, l, 3, 3),
        tensor("chunk_action", INT64, l),
        tensor("chunk_rope_t", INT64, l),
        tensor("chunk_cond_mask", FLOAT32, l),
        tensor("image_latent", FLOAT32, 1, c, h, w),
        tensor("sigmas", FLOAT32, manifest.sampler().steps() + 1),
        tensor("context_timestep", FLOAT32, 1)));
    for (TextStream stream : manifest.text().streams()) {
      inputs.add(tensor(stream.ditInput(), FLOAT32, 1, stream.tokenSymbol(), stream.dim()));
      inputs.add(tensor(stream.ditMaskInput(), FLOAT32, 1, stream.tokenSymbol()));
    }
    if (manifest.vision() != null) {
      inputs.add(tensor("vision_tokens", FLOAT32, 1, N_VISION, manifest.vision().dim()));
    }
    return graph(DIT_CHUNK, inputs, List.of(tensor("chunk_latents", FLOAT32, 1, c, l, h, w)));
  }

  private GraphSpec vaeDecoderFirst() {
    LatentSpec lat = manifest.latent();
    return graph(VAE_DECODER_FIRST,
        List.of(latents()),
        List.of(frames(lat.firstChunkFrames()), tensor("cache_out", FLOAT32, manifest.vae().cacheSize())));
  }

  private GraphSpec vaeDecoder() {
    LatentSpec lat = manifest.latent();
    long z = manifest.vae().cacheSize();
    return graph(VAE_DECODER,
        List.of(latents(), tensor("cache_in", FLOAT32, z)),
        List.of(frames(lat.laterChunkFrames()), tensor("cache_out", FLOAT32, z)));
  }

  private GraphSpec textEncoder(TextStream stream) {
    return graph(stream.graphKey(),
        List.of(tensor("input_ids", INT64, 1, N_TOKENS), tensor("attention_mask", INT64, 1, N_TOKENS)),
        List.of(tensor("embeds", FLOAT32, 1, N_TOKENS, stream.dim())));
  }

  private static GraphSpec imageEncoder(VisionSpec vision) {
    return graph(IMAGE_ENCODER,
        List.of(tensor("pixels", FLOAT32, 1, 3, vision.height(), vision.width())),
        List.of(tensor("vision_tokens", FLOAT32, 1, N_VISION, vision.dim())));
  }

  private TensorSpec latents() {
    LatentSpec lat = manifest.latent();
    return tensor("latents", FLOAT32, 1, lat.channels(), lat.latentsPerChunk(), lat.height(), lat.width());
  }

  private TensorSpec frames(int count) {
    VideoSpec video = manifest.video();
    return tensor("frames", FLOAT32, 1, 3, count, video.height(), video.width());
  }

  private static GraphSpec graph(String key, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new GraphSpec(key + ".onnx", inputs, outputs);
  }

  /** Sizes are Integers or Longs (fixed) or Strings (symbols), as the format's tables write them. */
  private static TensorSpec tensor(String name, DType dtype, Object... sizes) {
    List<Dim> shape = new ArrayList<>(sizes.length);
    for (Object size : sizes) {
      shape.add(size instanceof String symbol ? Dim.of(symbol) : Dim.of(((Number) size).longValue()));
    }
    return new TensorSpec(name, dtype, shape);
  }
}
