package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.bundle.GpuMemoryProbe;

/** doctor's bundle section: the memory estimate and the GPU fit check, with a fake GPU. */
class BundleDoctorTest {

  private static final long GIB = 1L << 30;
  private static final GpuMemoryProbe NO_GPU =
      device -> GpuMemoryProbe.Reading.unknown("nvidia-smi could not be run (not installed)");

  @TempDir
  Path temp;

  @Test
  void footprintEstimateAtTheManifestsContextAndSmallerOnes() throws IOException {
    Output out = doctor(withFootprint(), device -> GpuMemoryProbe.Reading.of(80 * GIB, 79 * GIB));
    assertEquals(0, out.exitCode(), out.text());
    assertTrue(out.text().contains("  ok    memory       footprint (bf16): 36.3 GiB at 6 context latents = weights"
        + " 15.9 GiB + latent K/V 13.1 GiB (6 + 4 latents x 1590 tokens) + text K/V 1.6 GiB (1985 tokens) +"
        + " working memory 5.6 GiB (the larger of activations 5.6 GiB and decoder 2.3 GiB)\n"), out.text());
    assertTrue(out.text().contains("  ok    memory       by context latents: 0 -> 28.4 GiB, 4 -> 33.6 GiB, 6 ->"
        + " 36.3 GiB\n"), out.text());
    assertTrue(out.text().contains("  ok    gpu memory   bundle 'valid' needs about 36.3 GiB of GPU memory"
        + " (footprint estimate at 6 context latents); GPU 0 has 79.0 GiB free of 80.0 GiB: it fits.\n"),
        out.text());
  }

  @Test
  void tooLittleGpuMemoryFailsWithWhatToChange() throws IOException {
    Output out = doctor(withFootprint(), device -> GpuMemoryProbe.Reading.of(40 * GIB, 30 * GIB));
    assertEquals(1, out.exitCode(), out.text());
    assertTrue(out.text().contains("  FAIL  gpu memory   bundle 'valid' needs about 36.3 GiB of GPU memory"
        + " (footprint estimate at 6 context latents), but GPU 0 has 30.0 GiB free of 40.0 GiB. To fit, re-export"
        + " it with a smaller --size (this one plays 40x24), or give it a smaller context: at most 1 context"
        + " latent fits (29.7 GiB; it uses 6);"), out.text());
  }

  @Test
  void noGpuProbeSaysTheCheckWasSkipped() {
    Output out = doctor(validBundle(), NO_GPU);
    assertEquals(0, out.exitCode(), out.text());
    assertTrue(out.text().contains("  ok    memory       about "), out.text());
    assertTrue(out.text().contains("the manifest has no footprint, so activations are not counted\n"), out.text());
    assertTrue(out.text().contains("  ok    gpu memory   GPU memory check skipped: nvidia-smi could not be run (not"
        + " installed). bundle 'valid' needs about "), out.text());
  }

  @Test
  void anUnreadableBundleIsNotProbed() {
    GpuMemoryProbe unused = device -> {
      throw new AssertionError("a bundle whose manifest cannot be read has no estimate to check");
    };
    Output out = doctor(temp.resolve("missing"), unused);
    assertEquals(1, out.exitCode(), out.text());
    assertTrue(out.text().contains("does not exist"), out.text());
  }

  private record Output(int exitCode, String text) {}

  private static Output doctor(Path bundle, GpuMemoryProbe probe) {
    StringWriter text = new StringWriter();
    DoctorCommand.DoctorReport report = new DoctorCommand.DoctorReport(new PrintWriter(text));
    BundleDoctor.check(report, bundle, probe, 0);
    int code = report.print();
    return new Output(code, text.toString());
  }

  private static Path validBundle() {
    return Path.of("..", "runtime", "src", "test", "resources", "bundles", "valid").toAbsolutePath().normalize();
  }

  /** A copy of the valid test bundle with the bundle format's example footprint. */
  private Path withFootprint() throws IOException {
    Path folder = Files.createDirectories(temp.resolve("valid"));
    try (Stream<Path> files = Files.list(validBundle())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(folder.resolve("manifest.json").toFile());
    manifest.putObject("footprint").put("dtype", "bf16").put("weight_bytes", 17_100_000_000L)
        .put("kv_bytes_per_token", 884_736).put("tokens_per_latent", 1590).put("text_tokens", 1985)
        .put("activation_bytes", 6_000_000_000L).put("decoder_bytes", 2_500_000_000L);
    json.writeValue(folder.resolve("manifest.json").toFile(), manifest);
    return folder;
  }
}
