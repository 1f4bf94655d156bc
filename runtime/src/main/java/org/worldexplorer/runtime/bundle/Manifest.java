package org.worldexplorer.runtime.bundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parsed, validated {@code manifest.json} of a bundle (docs/bundle-format.md). Construction checks every
 * field's range and the rules that tie sections together; the graph signatures are checked against the format
 * by {@link ContractCheck} and against the real graphs by {@link SignatureCheck}.
 *
 * @param format always {@code worldexplorer-bundle}
 * @param version always {@link #VERSION}
 * @param name folder-safe bundle name
 * @param description one line for the panel
 * @param licence the weights' licence
 * @param provenance how the weights were made
 * @param learned false for hand-built or random-weight bundles
 * @param video output video
 * @param latent latent grid
 * @param sampler flow-matching sampler
 * @param memory context memory sizes
 * @param actions camera step sizes and label thresholds
 * @param camera default intrinsics
 * @param text text streams
 * @param vision optional image encoder, or null
 * @param vae decoder cache facts
 * @param footprint what the exporter knows about accelerator memory, or null
 * @param graphs every graph by key, in manifest order
 */
public record Manifest(String format, int version, String name, String description, LicenceSpec licence,
    String provenance, boolean learned, VideoSpec video, LatentSpec latent, SamplerSpec sampler, MemorySpec memory,
    ActionSpec actions, CameraSpec camera, TextSpec text, VisionSpec vision, VaeSpec vae,
    Footprint footprint, Map<String, GraphSpec> graphs) {

  /** The {@code format} value of every bundle. */
  public static final String FORMAT = "worldexplorer-bundle";
  /** The format version this loader reads. */
  public static final int VERSION = 2;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public Manifest {
    Require.present(format, "format");
    if (!format.equals(FORMAT)) {
      throw new IllegalArgumentException("format must be \"" + FORMAT + "\", got \"" + format
          + "\": this folder is not a worldexplorer bundle");
    }
    if (version < VERSION) {
      throw new IllegalArgumentException("version must be " + VERSION + ", got " + version
          + ": this bundle was made by an older worldexplorer and this version no longer reads bundle format "
          + version + "; re-export it with this version's models/ (reference bundles: rebuild them with"
          + " models/build_reference_bundles.sh)");
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("version must be " + VERSION + ", got " + version
          + ": this bundle was made by a newer worldexplorer; update worldexplorer, or re-export it with this"
          + " version's models/");
    }
    Require.matches(name, NAME, "name", "folder-safe: lower-case letters, digits and '-', starting with a letter"
        + " or digit");
    Require.present(description, "description");
    Require.present(licence, "licence");
    Require.present(provenance, "provenance");
    Require.present(video, "video");
    Require.present(latent, "latent");
    Require.present(sampler, "sampler");
    Require.present(memory, "memory");
    Require.present(actions, "actions");
    Require.present(camera, "camera");
    Require.present(text, "text");
    Require.present(vae, "vae");
    Require.present(graphs, "graphs");
    requireVideoMatchesLatent(video, latent);
    if (footprint != null) {
      requireEstimateFits(footprint, memory, latent);
    }
    graphs = Collections.unmodifiableMap(new LinkedHashMap<>(graphs));
    requireGraphKeys(graphs, expectedGraphKeys(text, vision));
    for (TextStream stream : text.encodedStreams()) {
      requireSameFile(graphs, stream.graphKey(), stream.graph(), "text stream '" + stream.name() + "': graph");
    }
    if (vision != null) {
      requireSameFile(graphs, BundleContract.IMAGE_ENCODER, vision.graph(), "vision.graph");
    }
  }

  /**
   * The graph keys a manifest with these text streams and this vision section must list, in load order. A
   * stream without an encoder graph (prompt cache only) has no entry.
   */
  public static List<String> expectedGraphKeys(TextSpec text, VisionSpec vision) {
    List<String> keys = new ArrayList<>(List.of(BundleContract.VAE_ENCODER, BundleContract.DIT_CHUNK,
        BundleContract.VAE_DECODER_FIRST, BundleContract.VAE_DECODER));
    for (TextStream stream : text.encodedStreams()) {
      keys.add(stream.graphKey());
    }
    if (vision != null) {
      keys.add(BundleContract.IMAGE_ENCODER);
    }
    return List.copyOf(keys);
  }

  /** The graph keys of this manifest in load order. */
  public List<String> graphKeys() {
    return expectedGraphKeys(text, vision);
  }

  /** The graph with this key; the key must be one of {@link #graphKeys()}. */
  public GraphSpec graph(String key) {
    GraphSpec graph = graphs.get(key);
    if (graph == null) {
      throw new IllegalArgumentException("bundle '" + name + "' has no graph '" + key + "'; it has " + graphKeys());
    }
    return graph;
  }

  private static void requireVideoMatchesLatent(VideoSpec video, LatentSpec latent) {
    int width = latent.width() * latent.spatialCompression();
    int height = latent.height() * latent.spatialCompression();
    if (video.width() != width) {
      throw new IllegalArgumentException("video.width must equal latent.width × latent.spatial_compression = "
          + latent.width() + " × " + latent.spatialCompression() + " = " + width + ", got " + video.width());
    }
    if (video.height() != height) {
      throw new IllegalArgumentException("video.height must equal latent.height × latent.spatial_compression = "
          + latent.height() + " × " + latent.spatialCompression() + " = " + height + ", got " + video.height());
    }
  }

  /** The estimate at the manifest's largest context must be a number, so doctor and the GPU check can print it. */
  private static void requireEstimateFits(Footprint footprint, MemorySpec memory, LatentSpec latent) {
    try {
      footprint.estimateBytes(memory.contextLatents(), latent.latentsPerChunk());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("footprint gives a memory estimate beyond 2^63 bytes at"
          + " memory.context_latents = " + memory.contextLatents() + "; its byte counts are wrong (they are bytes,"
          + " not bits or elements)");
    }
  }

  private static void requireGraphKeys(Map<String, GraphSpec> graphs, List<String> expected) {
    for (String key : expected) {
      if (!graphs.containsKey(key)) {
        throw new IllegalArgumentException("graphs has no entry '" + key + "'; this manifest needs entries "
            + expected);
      }
    }
    for (String key : graphs.keySet()) {
      if (!expected.contains(key)) {
        throw new IllegalArgumentException("graphs has an entry '" + key + "' that the bundle format does not"
            + " define here; this manifest needs exactly " + expected
            + " (text_encoder_<stream> per text stream, image_encoder only with a vision section)");
      }
    }
  }

  private static void requireSameFile(Map<String, GraphSpec> graphs, String key, String file, String field) {
    String listed = graphs.get(key).file();
    if (!listed.equals(file)) {
      throw new IllegalArgumentException(field + " is \"" + file + "\" but graphs." + key + ".file is \"" + listed
          + "\"; they must name the same file");
    }
  }
}
