package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU memory check before loading, with a fake probe. */
class GpuFitCheckTest {

  private static final long GIB = 1L << 30;
  // The format's example footprint on the valid bundle (6 context latents, 4 per chunk): 38,923,503,360 bytes.
  private static final long NEEDED = 17_100_000_000L + 884_736L * (1590 * 10 + 1985) + 6_000_000_000L;

  @TempDir
  Path temp;

  @Test
  void fits() throws BundleException {
    GpuFitCheck.Outcome outcome = check(footprint("bf16"), device -> GpuMemoryProbe.Reading.of(80 * GIB, 40 * GIB));
    assertEquals(GpuFitCheck.Status.FITS, outcome.status());
    assertEquals(NEEDED, outcome.neededBytes());
    assertEquals("bundle 'valid' needs about 36.3 GiB of GPU memory (footprint estimate at 6 context latents);"
        + " GPU 0 has 40.0 GiB free of 80.0 GiB: it fits.", outcome.message());
  }

  @Test
  void doesNotFitAndSaysWhatToChange() throws BundleException {
    // 34 GiB free: 6 and 5 context latents need 36.3 and 34.9 GiB, 4 need 33.6 GiB.
    GpuFitCheck.Outcome outcome = check(footprint("bf16"), device -> GpuMemoryProbe.Reading.of(48 * GIB, 34 * GIB));
    assertEquals(GpuFitCheck.Status.DOES_NOT_FIT, outcome.status());
    assertEquals("bundle 'valid' needs about 36.3 GiB of GPU memory (footprint estimate at 6 context latents),"
        + " but GPU 0 has 34.0 GiB free of 48.0 GiB. To fit, re-export it with a smaller --size (this one plays"
        + " 40x24), or give it a smaller context: at most 4 context latents fit (33.6 GiB; it uses 6); or close"
        + " what else uses the GPU, or run with --device cpu.", outcome.message());
  }

  @Test
  void anFp32BundleIsToldAboutFp16AndThatNoContextIsSmallEnough() throws BundleException {
    GpuFitCheck.Outcome outcome = check(footprint("fp32"), device -> GpuMemoryProbe.Reading.of(24 * GIB, 20 * GIB));
    assertEquals(GpuFitCheck.Status.DOES_NOT_FIT, outcome.status());
    assertTrue(outcome.message().contains("re-export it with a smaller --size (this one plays 40x24), or with"
        + " --dtype fp16 (it is fp32: half the weights and keys/values); a smaller context is not enough: with no"
        + " context latents it still needs 28.4 GiB;"), outcome.message());
  }

  @Test
  void probeUnavailableSkipsTheCheckAndSaysWhy() throws BundleException {
    GpuFitCheck.Outcome outcome = check(footprint("bf16"),
        device -> GpuMemoryProbe.Reading.unknown("nvidia-smi could not be run (not found)"));
    assertEquals(GpuFitCheck.Status.SKIPPED, outcome.status());
    assertTrue(outcome.fits());
    assertEquals("GPU memory check skipped: nvidia-smi could not be run (not found). bundle 'valid' needs about"
        + " 36.3 GiB of GPU memory (footprint estimate at 6 context latents).", outcome.message());
  }

  @Test
  void withoutAFootprintTheGraphFilesAreTheEstimate() throws BundleException {
    Path folder = TestBundles.path("valid");
    Manifest manifest = ManifestReader.read(folder.resolve("manifest.json"));
    long graphs = GraphSizeEstimate.of(folder, manifest).totalBytes();
    GpuFitCheck.Outcome outcome = GpuFitCheck.check(folder, manifest,
        device -> GpuMemoryProbe.Reading.of(1 << 20, graphs - 1), 3);
    assertEquals(GpuFitCheck.Status.DOES_NOT_FIT, outcome.status());
    assertEquals(graphs, outcome.neededBytes());
    assertTrue(outcome.message().contains("(graph files and tensors only; the manifest has no footprint, so"
        + " activations are not counted), but GPU 3 has"), outcome.message());
    assertTrue(outcome.message().contains("or with --dtype fp16 if it was exported in fp32"), outcome.message());
  }

  private GpuFitCheck.Outcome check(ObjectNode footprint, GpuMemoryProbe probe) throws BundleException {
    Path folder = TestBundles.withManifest(temp, root -> root.set("footprint", footprint));
    return GpuFitCheck.check(folder, ManifestReader.read(folder.resolve("manifest.json")), probe, 0);
  }

  /** The bundle format's example footprint with another dtype. */
  static ObjectNode footprint(String dtype) {
    return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("dtype", dtype)
        .put("weight_bytes", 17_100_000_000L).put("kv_bytes_per_token", 884_736).put("tokens_per_latent", 1590)
        .put("text_tokens", 1985).put("activation_bytes", 6_000_000_000L).put("decoder_bytes", 2_500_000_000L);
  }
}
