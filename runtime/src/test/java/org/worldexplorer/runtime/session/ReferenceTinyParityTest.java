package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.joml.Matrix4f;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.DiscreteLabeler;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.sampling.SeededNoise;

/**
 * Plays reference-tiny (the 8B architecture at a tiny size, random weights) through {@link WorldSession} with the
 * golden walk, seed and prompt switch, and checks it against the PyTorch rollout: cameras, labels, noise, memory
 * selections, RoPE positions and the token ids and mask the DiT reads exactly (cameras to float rounding), the
 * text embeddings, each chunk's latents and the float frames within the golden tolerance (1e-4), that retrieval
 * reached outside the temporal window in at least three chunks, and that every chunk from the switch on is far
 * from the same rollout without the switch, so a prompt change that does not reach the DiT fails.
 */
class ReferenceTinyParityTest {

  static final Path TINY = Path.of("..", "assets", "bundles", "reference-tiny");

  @Test
  void theJavaRolloutReproducesThePyTorchRollout() throws Exception {
    TinyGolden golden = new TinyGolden(TINY.resolve("golden"));
    List<TinyGolden.Prompt> prompts = golden.prompts();
    int switchChunk = golden.switchChunk();
    double tolerance = golden.tolerance();
    assertEquals(2, prompts.size(), "the golden rollout should hold a start prompt and one switch");
    assertEquals(0, prompts.get(0).firstChunk(), "the first golden prompt should start at chunk 0");
    assertEquals(switchChunk, prompts.get(1).firstChunk(), "the second golden prompt should start at the switch");
    assertTrue(switchChunk > 0 && switchChunk < golden.chunkCount(), "switch chunk " + switchChunk
        + " should lie inside the rollout");
    assertTrue(maxAbsDifference(prompts.get(0).embeddings(), prompts.get(1).embeddings()) > 100 * tolerance,
        "the golden prompts should have clearly different embeddings");
    DiscreteLabeler labeler = new DiscreteLabeler(1e-4, 0.05);
    double worstEmbedding = 0;
    double worstLatent = 0;
    double worstFrame = 0;
    double smallestSwitchEffect = Double.POSITIVE_INFINITY;
    int chunksReachingBack = 0;
    try (ModelBundle bundle = ModelBundle.open(TINY, ExecutionProvider.CPU,
            SessionSettings.defaults().withIntraOpThreads(2));
        WorldSession session = new WorldSession(bundle, StartImage.read(golden.startImage()), golden.seed(),
            prompts.get(0).text(), true, null)) {
      int latents = session.chunkLatents();
      TextConditioning text = session.textConditioning();
      assertEquals(1, text.streamCount(), "reference-tiny has one text stream");
      long[] ids = new long[prompts.get(0).ids().length];
      float[] mask = new float[ids.length];
      float[] embeddings = new float[prompts.get(0).embeddings().length];
      long[] contextRope = new long[64];
      long[] chunkRope = new long[latents];
      SeededNoise noise = new SeededNoise(golden.seed());
      for (int c = 0; c < golden.chunkCount(); c++) {
        TinyGolden.Prompt prompt = promptInEffect(prompts, c);
        assertEquals(golden.promptOf(c), prompt.text(), "prompt of chunk " + c);
        if (c > 0 && prompt.firstChunk() == c) {
          assertTrue(session.setPrompt(prompt.text()), "a new prompt should run the text encoder");
        }
        text.copyStream(0, ids, mask, embeddings);
        assertArrayEquals(toLongs(prompt.ids()), ids, "token ids the DiT reads in chunk " + c);
        assertArrayEquals(toFloats(prompt.mask()), mask, "text mask the DiT reads in chunk " + c);
        worstEmbedding = Math.max(worstEmbedding, maxAbsDifference(prompt.embeddings(), embeddings));

        DualAction[] actions = golden.actions(c);
        ChunkResult result = session.generateChunk(actions);
        int first = result.firstLatent();
        assertEquals(golden.chunk(c).get("first_latent").asInt(), first);

        assertCameras(golden, c, session, first);
        int[] labels = golden.ints(c, "labels");
        for (int l = 0; l < latents; l++) {
          if (first + l > 0) {
            DualAction a = actions[l];
            assertEquals(labels[l], labeler.labelOfStep(a.forward(), a.right(), a.yawDegrees(), a.pitchDegrees()),
                "label of latent " + (first + l));
          }
        }
        float[] expectedNoise = golden.tensor(c, "noise");
        FloatBuffer javaNoise = NativeBuffers.floats(expectedNoise.length);
        noise.fillChunk(javaNoise, 8, latents, 4, 4, first);
        float[] noiseValues = new float[expectedNoise.length];
        javaNoise.get(0, noiseValues);
        assertArrayEquals(expectedNoise, noiseValues, "seeded noise of chunk " + c);

        int[] selected = Arrays.copyOf(result.selected(), result.selectedCount());
        boolean[] retrieved = Arrays.copyOf(result.retrieved(), result.selectedCount());
        assertArrayEquals(golden.ints(c, "selected"), selected, "memory selection of chunk " + c);
        assertArrayEquals(golden.booleans(c, "retrieved"), retrieved, "retrieved flags of chunk " + c);
        int n = session.lastRopePositions(contextRope, chunkRope);
        assertArrayEquals(toLongs(golden.ints(c, "context_rope_t")), Arrays.copyOf(contextRope, n),
            "context RoPE positions of chunk " + c);
        assertArrayEquals(toLongs(golden.ints(c, "chunk_rope_t")), chunkRope, "chunk RoPE positions of chunk " + c);
        if (reachesBeyondTemporalWindow(selected, retrieved, first, golden.temporalLatents())) {
          chunksReachingBack++;
        }

        double latentError = maxAbsDifference(golden.tensor(c, "latents"), result.latents(), 0);
        double frameError = maxFrameDifference(golden, c, result);
        System.out.printf("reference-tiny chunk %d: context %s, latents max abs error %.3g, frames %.3g%n", c,
            Arrays.toString(selected), latentError, frameError);
        worstLatent = Math.max(worstLatent, latentError);
        worstFrame = Math.max(worstFrame, frameError);
        if (c >= switchChunk) {
          smallestSwitchEffect = Math.min(smallestSwitchEffect,
              maxAbsDifference(golden.tensor(c, "latents_without_switch"), result.latents(), 0));
        }
      }
    }
    System.out.printf("reference-tiny parity: embeddings max abs error %.3g, latents %.3g, frames %.3g; after the "
        + "switch the latents differ from the no-switch rollout by at least %.3g; retrieval outside the temporal "
        + "window in %d chunks%n", worstEmbedding, worstLatent, worstFrame, smallestSwitchEffect, chunksReachingBack);
    assertTrue(worstEmbedding <= tolerance, "text embeddings differ from PyTorch by " + worstEmbedding);
    assertTrue(worstLatent <= tolerance, "latents differ from PyTorch by " + worstLatent);
    assertTrue(worstFrame <= tolerance, "frames differ from PyTorch by " + worstFrame);
    assertTrue(smallestSwitchEffect > 100 * tolerance, "a chunk after the prompt switch is within "
        + smallestSwitchEffect + " of the rollout without the switch");
    assertTrue(chunksReachingBack >= 3, "retrieval reached outside the temporal window in only "
        + chunksReachingBack + " chunks");
  }

  private static void assertCameras(TinyGolden golden, int c, WorldSession session, int first) {
    JsonNode w2c = golden.chunk(c).get("w2c_row_major");
    Matrix4f m = new Matrix4f();
    for (int l = 0; l < w2c.size(); l++) {
      session.track().worldToCamera(first + l, m);
      for (int row = 0; row < 4; row++) {
        for (int col = 0; col < 4; col++) {
          assertEquals(w2c.get(l).get(4 * row + col).asDouble(), m.get(col, row), 1e-6,
              "w2c[" + row + "][" + col + "] of latent " + (first + l));
        }
      }
    }
  }

  private static TinyGolden.Prompt promptInEffect(List<TinyGolden.Prompt> prompts, int chunk) {
    TinyGolden.Prompt inEffect = prompts.get(0);
    for (TinyGolden.Prompt p : prompts) {
      if (p.firstChunk() <= chunk) {
        inEffect = p;
      }
    }
    return inEffect;
  }

  private static boolean reachesBeyondTemporalWindow(int[] selected, boolean[] retrieved, int first, int window) {
    for (int i = 0; i < selected.length; i++) {
      if (retrieved[i] && selected[i] < first - window) {
        return true;
      }
    }
    return false;
  }

  private static double maxAbsDifference(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "tensor sizes differ");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    return worst;
  }

  private static double maxAbsDifference(float[] expected, FloatBuffer actual, int offset) {
    assertTrue(actual.capacity() >= expected.length, "output smaller than the golden tensor");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual.get(offset + i)));
    }
    return worst;
  }

  /** Golden frames hold every stride-th row and column of [1, 3, F, H, W]. */
  private static double maxFrameDifference(TinyGolden golden, int c, ChunkResult result) throws Exception {
    float[] expected = golden.tensor(c, "frames");
    int[] shape = golden.shape(c, "frames");
    int stride = golden.frameStride();
    int frames = result.frameCount();
    assertEquals(frames, shape[1], "frame count of chunk " + c);
    int height = shape[2] * stride;
    int width = shape[3] * stride;
    FloatBuffer actual = result.frames();
    double worst = 0;
    int i = 0;
    for (int ch = 0; ch < 3; ch++) {
      for (int f = 0; f < frames; f++) {
        for (int y = 0; y < height; y += stride) {
          for (int x = 0; x < width; x += stride) {
            float a = actual.get(((ch * frames + f) * height + y) * width + x);
            worst = Math.max(worst, Math.abs(expected[i++] - a));
          }
        }
      }
    }
    return worst;
  }

  private static long[] toLongs(int[] values) {
    return Arrays.stream(values).asLongStream().toArray();
  }

  private static float[] toFloats(int[] values) {
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = values[i];
    }
    return floats;
  }
}
