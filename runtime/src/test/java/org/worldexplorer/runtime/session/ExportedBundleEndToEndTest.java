package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.LatentSpec;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.bundle.TextStream;
import org.worldexplorer.runtime.bundle.ValidationReport;

/**
 * The complete exporters composed end to end: {@code models/tools/make_synthetic_checkpoints.py} writes a
 * variant's checkpoints in the published folder layout (full width, one transformer block, one layer per encoder,
 * seeded random weights), {@code worldexplorer_models.export} turns them into a bundle in fp32 at 64x64, and a
 * {@link WorldSession} on the CPU runs every graph of it: text encoders, image encoder (8B), DiT and decoders, for
 * two chunks, with a prompt switch between them.
 *
 * <p>Each variant takes about 10 minutes on two cores, up to 13 GiB of memory (the 5B's UMT5 export) and 18 GB
 * of disk (checkpoints and bundle), so the tests run only with WORLDEXPLORER_SLOW_TESTS set; CI, which sets
 * WORLDEXPLORER_REQUIRE_ALL_TESTS, skips them for that reason.
 */
class ExportedBundleEndToEndTest {

  private static final Path MEADOW = Path.of("..", "assets", "images", "meadow.png");
  private static final String FIRST_PROMPT = "a storm rolls in over the sea, a sign says \"OPEN\"";
  private static final String SECOND_PROMPT = "snow in a mountain village at night, a sign says \"CLOSED\"";

  @Test
  void theHyWorldPlay8BExportPlaysTwoChunks(@TempDir Path temp) throws Exception {
    exportChecked(temp, "hy-worldplay-8b");
    playTwoChunks(temp.resolve("bundle"), 2, true);
  }

  @Test
  void theWorldPlay5BExportPlaysTwoChunks(@TempDir Path temp) throws Exception {
    exportChecked(temp, "worldplay-5b");
    playTwoChunks(temp.resolve("bundle"), 1, false);
  }

  /** Writes the synthetic checkpoints and exports them into {@code temp/bundle}. */
  private static void exportChecked(Path temp, String variant) throws Exception {
    Assumptions.assumeTrue(System.getenv("WORLDEXPLORER_SLOW_TESTS") != null,
        "writing and exporting full-width checkpoints takes minutes and many GB: set WORLDEXPLORER_SLOW_TESTS=1");
    ModelsPython.require("the end-to-end export", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path checkpoints = temp.resolve("checkpoints").toAbsolutePath();
    String python = ModelsPython.PYTHON.toString();
    ModelsPython.run(List.of(python, "tools/make_synthetic_checkpoints.py", variant, "--out", checkpoints.toString(),
        "--blocks", "1", "--encoder-layers", "1"), 1200);
    boolean is8b = variant.equals("hy-worldplay-8b");
    // The published layouts the exporter is pointed at (models/tools/make_synthetic_checkpoints.py lists them).
    Path transformer = is8b ? checkpoints.resolve("HY-WorldPlay/ar_distilled_action_model")
        : checkpoints.resolve("HY-WorldPlay/wan_distilled_model/model.pt");
    Path base = checkpoints.resolve(is8b ? "HunyuanVideo-1.5" : "Wan2.2-TI2V-5B-Diffusers");
    String log = ModelsPython.run(List.of(python, "-m", "worldexplorer_models.export", variant,
        "--checkpoint", transformer.toString(), "--base", base.toString(),
        "--out", temp.resolve("bundle").toAbsolutePath().toString(), "--dtype", "fp32", "--size", "64x64",
        "--blocks", "1", "--encoder-layers", "1"), 2400);
    assertTrue(log.contains("bundle written to"), log);
    deleteTree(checkpoints); // the session needs only the bundle: give the disk back early
  }

  private static void playTwoChunks(Path directory, int textStreams, boolean vision) throws Exception {
    ValidationReport report = ModelBundle.validate(directory);
    assertTrue(report.ok(), "every load check passes:\n" + String.join("\n", report.lines()));
    long openStart = System.nanoTime();
    try (ModelBundle bundle = ModelBundle.open(directory, ExecutionProvider.CPU, SessionSettings.defaults())) {
      String name = bundle.manifest().name();
      System.out.printf("%s: opened %d graphs in %.1f s%n", name, bundle.manifest().graphKeys().size(),
          seconds(openStart));
      LatentSpec latent = bundle.manifest().latent();
      int width = bundle.manifest().video().width();
      int height = bundle.manifest().video().height();
      assertEquals(64, width);
      assertEquals(64, height);
      List<TextStream> streams = bundle.manifest().text().streams();
      assertEquals(textStreams, streams.size());
      BufferedImage image = StartImage.read(MEADOW);
      long start = System.nanoTime();
      try (WorldSession session = new WorldSession(bundle, image, 5, FIRST_PROMPT, true, null)) {
        System.out.printf("%s: session start (VAE encoder, text encoders%s) %.1f s%n", name,
            vision ? ", image encoder" : "", seconds(start));
        assertEquals(vision, session.visionConditioning() != null, "an image encoder exactly when the 8B");
        List<float[][]> before = textInputs(session, bundle, streams);
        ChunkResult first = session.generateChunk(forward(latent.latentsPerChunk()));
        checkFrames(first, latent.firstChunkFrames(), width, height, "chunk 0");
        checkLatents(first, latent, "chunk 0");
        print(name, first);

        long switchStart = System.nanoTime();
        assertTrue(session.setPrompt(SECOND_PROMPT), "a new prompt runs the text encoders");
        System.out.printf("%s: prompt switch (text encoders) %.1f s%n", name, seconds(switchStart));
        List<float[][]> after = textInputs(session, bundle, streams);
        for (int i = 0; i < streams.size(); i++) {
          String stream = streams.get(i).name();
          assertFalse(Arrays.equals(before.get(i)[0], after.get(i)[0]), stream + ": the token ids change");
          assertFalse(Arrays.equals(before.get(i)[2], after.get(i)[2]), stream + ": the DiT's text embeddings change");
          for (float v : after.get(i)[2]) {
            assertTrue(Float.isFinite(v), stream + ": embeddings are finite");
          }
        }
        ChunkResult second = session.generateChunk(forward(latent.latentsPerChunk()));
        assertEquals(1, second.chunkIndex());
        assertEquals(latent.latentsPerChunk(), second.firstLatent());
        assertTrue(second.selectedCount() > 0, "chunk 1 reads context");
        checkFrames(second, latent.laterChunkFrames(), width, height, "chunk 1");
        checkLatents(second, latent, "chunk 1");
        assertTrue(second.timings().ditNanos > 0 && second.timings().decodeNanos > 0);
        assertTrue(second.timings().textNanos > 0, "the prompt switch's encoder time comes with chunk 1");
        print(name, second);
      }
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(path);
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void print(String name, ChunkResult r) {
    StageTimings t = r.timings();
    System.out.printf("%s: chunk %d, %d frames: dit %.1f s, decode %.1f s, text %.1f s, total %.1f s%n", name,
        r.chunkIndex(), r.frameCount(), t.ditNanos / 1e9, t.decodeNanos / 1e9, t.textNanos / 1e9,
        t.totalNanos / 1e9);
  }

  /** Per stream: {token ids as floats, DiT mask, DiT embeddings}. */
  private static List<float[][]> textInputs(WorldSession session, ModelBundle bundle, List<TextStream> streams)
      throws Exception {
    List<float[][]> result = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      TextStream spec = streams.get(i);
      int crop;
      try (PromptTokenizer tokenizer = PromptTokenizer.open(spec.tokenizer(), bundle.directory())) {
        crop = PromptPreparation.cropStart(spec, tokenizer);
      }
      long[] ids = new long[spec.encoderTokens(crop)];
      float[] mask = new float[spec.maxTokens()];
      float[] embeds = new float[spec.maxTokens() * spec.dim()];
      session.textConditioning().copyStream(i, ids, mask, embeds);
      float[] idsAsFloats = new float[ids.length];
      for (int j = 0; j < ids.length; j++) {
        idsAsFloats[j] = ids[j];
      }
      assertTrue(mask[0] == 1f, spec.name() + ": the prompt has tokens");
      result.add(new float[][] {idsAsFloats, mask, embeds});
    }
    return result;
  }

  private static void checkFrames(ChunkResult result, int frames, int width, int height, String label) {
    assertEquals(frames, result.frameCount(), label + ": frame count");
    FloatBuffer buffer = result.frames();
    int count = 3 * frames * width * height;
    assertTrue(buffer.capacity() >= count, label + ": a [1, 3, " + frames + ", " + height + ", " + width + "] buffer");
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < count; i++) {
      float v = buffer.get(i);
      assertTrue(Float.isFinite(v), label + ": frame value " + i + " is " + v);
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / count;
    double spread = Math.sqrt(Math.max(0, squares / count - mean * mean));
    assertTrue(spread > 1e-3, label + ": the frames are not flat (standard deviation " + spread + ")");
  }

  private static void checkLatents(ChunkResult result, LatentSpec latent, String label) {
    FloatBuffer latents = result.latents();
    assertNotNull(latents);
    int count = latent.latentElements() * latent.latentsPerChunk();
    for (int i = 0; i < count; i++) {
      assertTrue(Float.isFinite(latents.get(i)), label + ": latent value " + i + " is not finite");
    }
  }

  private static DualAction[] forward(int n) {
    DualAction[] actions = new DualAction[n];
    Arrays.fill(actions, new DualAction(9, 0.08f, 0f, 0f, 0f));
    return actions;
  }
}
