package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.platform.Fp16Conversions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * The half-boundaries test bundle computes the valid bundle's functions with float16 and bfloat16 tensors at its
 * graph edges (models/tools/make_test_graphs.py, HALF_DTYPES): a session on it must give the valid bundle's
 * latents and frames within half precision, and hand the host exactly the half values the graphs wrote.
 */
class HalfPrecisionBoundaryTest {

  @TempDir
  Path temp;

  private static final SessionSettings ONE_THREAD = SessionSettings.defaults().withIntraOpThreads(1);
  private static final int CHUNKS = 3; // chunk 2 reads the cache chunk 1 wrote: bfloat16 out, float16 in

  @Test
  void halfBoundariesGiveTheFloat32ResultsWithinHalfPrecision() throws Exception {
    float[][] full = run("valid");
    float[][] half = run("half-boundaries");
    for (int chunk = 0; chunk < CHUNKS; chunk++) {
      float[] a = full[2 * chunk];
      float[] b = half[2 * chunk];
      assertEquals(a.length, b.length);
      // The largest error: image_latent leaves vae_encoder as bfloat16 (half a step: 2^-9 relative) at values up
      // to |2.5| (channel scale 1 + 0.5 c), 0.005; chunk_latents then round to float16 (2^-11 of about 3).
      assertClose(a, b, 8e-3, "latents of chunk " + chunk);
      assertFalse(Arrays.equals(a, b), "chunk " + chunk + ": half precision must round something");
      // Frames copy latents: their error, plus bfloat16 latents or frames (2^-9 of about 3), plus 0.01 × the sum
      // of 10 cache values that went float16 → bfloat16 → float16.
      assertClose(full[2 * chunk + 1], half[2 * chunk + 1], 2e-2, "frames of chunk " + chunk);
    }
  }

  @Test
  void theHostGetsExactlyTheHalfValuesTheGraphsWrote() throws Exception {
    float[][] half = run("half-boundaries");
    for (int chunk = 0; chunk < CHUNKS; chunk++) {
      for (float v : half[2 * chunk]) { // dit_chunk writes chunk_latents as float16
        assertEquals(v, Fp16Conversions.fp16ToFloat(Fp16Conversions.floatToFp16(v)), "latent " + v);
      }
      boolean bf16 = chunk == 0; // vae_decoder_first writes bfloat16 frames, vae_decoder float16
      for (float v : half[2 * chunk + 1]) {
        float rounded = bf16 ? Fp16Conversions.bf16ToFloat(Fp16Conversions.floatToBf16(v))
            : Fp16Conversions.fp16ToFloat(Fp16Conversions.floatToFp16(v));
        assertEquals(v, rounded, "frame value " + v + " of chunk " + chunk);
      }
    }
  }

  /** Latents and frames of each chunk, alternating, for one test bundle; same seed, prompt and actions. */
  private float[][] run(String bundleName) throws Exception {
    float[][] out = new float[2 * CHUNKS][];
    DualAction[] actions = new DualAction[4];
    Arrays.fill(actions, new DualAction(9, 0.08f, 0f, 3f, 0f));
    try (ModelBundle bundle = ModelBundle.open(playable(bundleName), ExecutionProvider.CPU, ONE_THREAD);
        WorldSession session = new WorldSession(bundle, startImage(), 21, "a storm rolls in", true, null)) {
      for (int chunk = 0; chunk < CHUNKS; chunk++) {
        ChunkResult r = session.generateChunk(actions);
        out[2 * chunk] = copy(r.latents());
        out[2 * chunk + 1] = copy(r.frames());
      }
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]);
      if (error > worst) {
        worst = error;
        at = i;
      }
    }
    assertTrue(worst <= tolerance, what + ": error " + worst + " at " + at + " (" + (at < 0 ? "" : expected[at]
        + " vs " + actual[at]) + ") exceeds " + tolerance);
  }

  private static float[] copy(FloatBuffer values) {
    float[] out = new float[values.remaining()];
    values.duplicate().get(out);
    return out;
  }

  /** A smooth colour gradient at the test bundles' video size (40 × 24). */
  private static BufferedImage startImage() {
    BufferedImage image = new BufferedImage(40, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 40; x++) {
        image.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | ((x + y) * 4));
      }
    }
    return image;
  }

  /**
   * A copy of a test bundle whose memory a session can use: the test bundles force 4 latents into a context of 6,
   * which leaves retrieval no room; without forced latents, 4 of the 6 are retrieved and 2 are recent.
   */
  private Path playable(String name) throws URISyntaxException, IOException {
    Path source = Path.of(HalfPrecisionBoundaryTest.class.getResource("/bundles/" + name + "/manifest.json")
        .toURI()).getParent();
    Path folder = Files.createDirectories(temp.resolve(name));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, folder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(folder.resolve("manifest.json").toFile());
    manifest.with("memory").putArray("always_included");
    json.writeValue(folder.resolve("manifest.json").toFile(), manifest);
    return folder;
  }
}
