package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ManifestReader;

/**
 * How a session carries the decoder cache, chosen from the manifest alone: chained past the threshold when the
 * decoders agree on the cache dtype, pinned otherwise, and a clear refusal when neither can hold it. The full-size
 * caches are only declared here (manifests with a changed {@code vae.cache_size}); nothing of that size is made.
 */
class DecoderCacheChoiceTest {

  @TempDir
  Path temp;

  private static final long DIRECT_LIMIT = NativeBuffers.MAX_BYTES;
  private static final Path TINY = ReferenceTinyParityTest.TINY;

  @Test
  void aSmallCacheIsPinnedUpToTheThresholdAndChainedAboveIt() throws Exception {
    Manifest tiny = ManifestReader.read(TINY.resolve(ManifestReader.FILE_NAME));
    long hostBytes = 4L * tiny.vae().cacheSize();
    assertEquals(89_856 * 4L, hostBytes);
    assertEquals(DecoderCache.Mode.PINNED, DecoderCache.choose(tiny, DIRECT_LIMIT));
    assertEquals(DecoderCache.Mode.PINNED, DecoderCache.choose(tiny, hostBytes));
    assertEquals(DecoderCache.Mode.CHAINED, DecoderCache.choose(tiny, hostBytes - 1));
  }

  @Test
  void theFullSizeCachesAreChainedWhenTheirDtypesAgree() throws Exception {
    // 8B at 848x480: about 3e9 values, past an int; 5B at 1280x704: 1,607,936,000 values, 6.0 GiB as float32.
    for (long z : new long[] {3_000_000_000L, 1_607_936_000L, DIRECT_LIMIT / 4 + 1}) {
      Manifest manifest = withCacheSize(TINY, z);
      assertEquals(z, manifest.vae().cacheSize());
      assertEquals(DecoderCache.Mode.CHAINED, DecoderCache.choose(manifest, DIRECT_LIMIT), "Z = " + z);
    }
    assertEquals(DecoderCache.Mode.PINNED, DecoderCache.choose(withCacheSize(TINY, DIRECT_LIMIT / 4),
        DIRECT_LIMIT), "the largest cache a direct buffer holds stays pinned");
  }

  @Test
  void aCacheTooLargeToPinWhoseDtypesDisagreeIsRefusedAtSessionStart() throws Exception {
    Manifest half = withCacheSize(testBundle("half-boundaries"), 600_000_000L);
    BundleException e = assertThrows(BundleException.class, () -> DecoderCache.choose(half, DIRECT_LIMIT));
    String message = e.getMessage();
    assertTrue(message.contains("Z = 600000000"), message);
    assertTrue(message.contains("2400000000 bytes"), message);
    assertTrue(message.contains("2147483647 bytes, 2 GB"), message);
    assertTrue(message.contains("vae_decoder_first cache_out, vae_decoder cache_in and vae_decoder cache_out"),
        message);
    assertTrue(message.contains("declares float16, float16 and bfloat16"), message);
    assertTrue(message.contains("same cache dtype"), message);
    assertEquals(DecoderCache.Mode.PINNED, DecoderCache.choose(withCacheSize(testBundle("half-boundaries"), 10),
        0), "a small cache whose dtypes disagree stays pinned even when asked to chain");
  }

  /** A committed test bundle of models/tools/make_test_graphs.py. */
  static Path testBundle(String name) throws URISyntaxException {
    return Path.of(DecoderCacheChoiceTest.class.getResource("/bundles/" + name + "/manifest.json").toURI())
        .getParent();
  }

  /** The manifest of {@code bundle} with {@code Z} set to {@code size}, in vae and in the decoders' shapes. */
  private Manifest withCacheSize(Path bundle, long size) throws IOException, BundleException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(bundle.resolve(ManifestReader.FILE_NAME).toFile());
    root.with("vae").put("cache_size", size);
    for (String graph : new String[] {DecoderCache.FIRST, DecoderCache.LATER}) {
      ObjectNode spec = (ObjectNode) root.get("graphs").get(graph);
      for (String side : new String[] {"inputs", "outputs"}) {
        spec.get(side).forEach(tensor -> {
          if (tensor.get("name").asText().startsWith("cache_")) {
            ((ObjectNode) tensor).putArray("shape").add(size);
          }
        });
      }
    }
    Path folder = Files.createTempDirectory(temp, "z" + size);
    Path file = folder.resolve(ManifestReader.FILE_NAME);
    json.writeValue(file.toFile(), root);
    return ManifestReader.read(file);
  }
}
