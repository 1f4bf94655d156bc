package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the valid bundle's graphs through ONNX Runtime Java and compares their outputs with the functions
 * models/tools/make_test_graphs.py documents for them (C = 4, h = 3, w = 5, L = 4, H = 24, W = 40, Z = 10, d = 6).
 */
class GraphValuesTest {

  private static final float TOLERANCE = 1e-5f;
  private static final int C = 4;
  private static final int LH = 3;
  private static final int LW = 5;
  private static final int L = 4;
  private static final int H = 24;
  private static final int W = 40;
  private static final int Z = 10;
  private static final int D = 6;

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static ModelBundle bundle;
  private final Map<String, OnnxTensor> inputs = new HashMap<>();

  @BeforeAll
  static void open() throws BundleException {
    bundle = ModelBundle.open(TestBundles.path("valid"), ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(1));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @AfterEach
  void closeInputs() {
    inputs.values().forEach(OnnxTensor::close);
    inputs.clear();
  }

  @Test
  void textEncoderByHand() throws Exception {
    // "a storm rolls in" with the simple tokenizer: ids 2 3 4 5, padded with 0 to 8 tokens.
    put("input_ids", new long[] {2, 3, 4, 5, 0, 0, 0, 0}, 1, 8);
    put("attention_mask", new long[] {1, 1, 1, 1, 0, 0, 0, 0}, 1, 8);
    float[] embeds = runOne("text_encoder_llm", "embeds");
    assertEquals(8 * D, embeds.length);
    // embeds[n, j] = (0.01 (id d + j) + 0.5) mask[n]
    assertEquals(0.62f, embeds[0], TOLERANCE); // id 2, j 0
    assertEquals(0.73f, embeds[D + 5], TOLERANCE); // id 3, j 5
    assertEquals(0.83f, embeds[3 * D + 3], TOLERANCE); // id 5, j 3
    assertEquals(0f, embeds[4 * D], 0f); // padding
  }

  @Test
  void vaeEncoderAveragesEachBlock() throws Exception {
    float[] image = pattern(3 * H * W, 11);
    put("image", image, 1, 3, H, W);
    float[] latent = runOne("vae_encoder", "image_latent");
    float[] expected = new float[C * LH * LW];
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < LH; y++) {
        for (int x = 0; x < LW; x++) {
          double sum = 0;
          for (int dy = 0; dy < 8; dy++) {
            for (int dx = 0; dx < 8; dx++) {
              sum += image[((c % 3) * H + 8 * y + dy) * W + 8 * x + dx];
            }
          }
          expected[(c * LH + y) * LW + x] = (float) ((1 + 0.5 * c) * sum / 64);
        }
      }
    }
    assertArrayEquals(expected, latent, TOLERANCE);
  }

  @Test
  void ditWithoutContextByHand() throws Exception {
    // n_ctx = 0: noise 1, image latent 2, cond mask on latent 0, actions and RoPE 0..3, text masked out.
    putDitInputs(0, fill(C * L * LH * LW, 1f), fill(C * LH * LW, 2f), new float[] {1, 0, 0, 0},
        new long[] {0, 1, 2, 3}, new long[] {0, 1, 2, 3}, new float[4 * 16], new float[4 * 9],
        new float[3 * D], new float[3]);
    float[] out = runOne("dit_chunk", "chunk_latents");
    // out = noise s + (1 - s)(cond image) + b[l], s = 0.25, b[l] = 0.001 (action + rope) + 0.01 * 14
    float[] perLatent = {0.25f + 0.75f * 2 + 0.14f, 0.25f + 0.142f, 0.25f + 0.144f, 0.25f + 0.146f};
    for (int i = 0; i < out.length; i++) {
      int l = (i / (LH * LW)) % L;
      assertEquals(perLatent[l], out[i], TOLERANCE, "element " + i);
    }
  }

  @Test
  void ditWithContextMatchesItsFormula() throws Exception {
    int nCtx = 2;
    float[] noise = pattern(C * L * LH * LW, 3);
    float[] image = pattern(C * LH * LW, 5);
    float[] cond = {1, 0, 0, 0};
    long[] action = {4, 0, 80, 9};
    long[] rope = {2, 3, 4, 5};
    float[] w2c = pattern(L * 16, 7);
    float[] intrinsics = pattern(L * 9, 13);
    float[] text = pattern(3 * D, 17);
    float[] textMask = {1, 1, 0};
    putDitInputs(nCtx, noise, image, cond, action, rope, w2c, intrinsics, text, textMask);
    float[] out = runOne("dit_chunk", "chunk_latents");

    float[] context = floats("context_latents");
    float s = 0.25f;
    double contextSum = sum(floats("context_w2c")) + sum(floats("context_intrinsics"))
        + sum(longs("context_action")) + sum(longs("context_rope_t")) + sum(floats("context_cond_mask"));
    double maskedText = 0;
    for (int n = 0; n < 3; n++) {
      for (int j = 0; j < D; j++) {
        maskedText += text[n * D + j] * textMask[n];
      }
    }
    double textMean = maskedText / 2;
    float[] expected = new float[out.length];
    for (int c = 0; c < C; c++) {
      for (int l = 0; l < L; l++) {
        double bias = 0.001 * (sum(w2c, l * 16, 16) + sum(intrinsics, l * 9, 9) + action[l] + rope[l])
            + 0.001 * contextSum + 0.01 * 14 + 0.1 * textMean;
        for (int p = 0; p < LH * LW; p++) {
          double ctxMean = 0;
          for (int t = 0; t < nCtx; t++) {
            ctxMean += context[(c * nCtx + t) * LH * LW + p];
          }
          ctxMean /= nCtx;
          int i = (c * L + l) * LH * LW + p;
          expected[i] = (float) (noise[i] * s + (1 - s) * (ctxMean + cond[l] * image[c * LH * LW + p]) + bias);
        }
      }
    }
    assertArrayEquals(expected, out, TOLERANCE);
  }

  @Test
  void zeroLengthContextWorksFromDirectBuffers() throws Exception {
    // The same run as ditWithoutContextByHand, with the empty context made from direct buffers.
    putDitInputs(0, fill(C * L * LH * LW, 1f), fill(C * LH * LW, 2f), new float[] {1, 0, 0, 0},
        new long[] {0, 1, 2, 3}, new long[] {0, 1, 2, 3}, new float[4 * 16], new float[4 * 9],
        new float[3 * D], new float[3]);
    replace("context_latents", OnnxTensor.createTensor(ENV, directFloats(0), new long[] {1, C, 0, LH, LW}));
    replace("context_action", OnnxTensor.createTensor(ENV, directLongs(0), new long[] {0}));
    assertEquals(0, inputs.get("context_latents").getInfo().getNumElements());
    float[] out = runOne("dit_chunk", "chunk_latents");
    assertEquals(0.25f + 1.5f + 0.14f, out[0], TOLERANCE);
    assertEquals(0.25f + 0.146f, out[out.length - 1], TOLERANCE);
  }

  @Test
  void firstDecoderRepeatsLatentsAndKeepsTheLastOne() throws Exception {
    float[] latents = pattern(C * L * LH * LW, 19);
    put("latents", latents, 1, C, L, LH, LW);
    try (OrtSession.Result result = bundle.run("vae_decoder_first", inputs)) {
      float[] frames = values(result, "frames");
      assertEquals(3 * 13 * H * W, frames.length);
      int[] source = {0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
      for (int ch = 0; ch < 3; ch++) {
        for (int k = 0; k < 13; k++) {
          for (int py = 0; py < H; py += 7) {
            for (int px = 0; px < W; px += 3) {
              float want = latents[((ch * L + source[k]) * LH + py / 8) * LW + px / 8];
              assertEquals(want, frames[((ch * 13 + k) * H + py) * W + px], 0f);
            }
          }
        }
      }
      assertArrayEquals(lastLatentHead(latents), values(result, "cache_out"), 0f);
    }
  }

  @Test
  void laterDecoderUsesTheCache() throws Exception {
    float[] latents = pattern(C * L * LH * LW, 23);
    float[] cache = pattern(Z, 29);
    put("latents", latents, 1, C, L, LH, LW);
    put("cache_in", cache, Z);
    try (OrtSession.Result result = bundle.run("vae_decoder", inputs)) {
      float[] frames = values(result, "frames");
      assertEquals(3 * 16 * H * W, frames.length);
      float shift = (float) (0.01 * sum(cache));
      for (int k = 0; k < 16; k++) {
        int i = ((2 * 16 + k) * H + 17) * W + 33; // channel 2, row 17, column 33: latent cell (2, 4)
        assertEquals(latents[((2 * L + k / 4) * LH + 2) * LW + 4] + shift, frames[i], TOLERANCE);
      }
      float[] head = lastLatentHead(latents);
      float[] cacheOut = values(result, "cache_out");
      for (int z = 0; z < Z; z++) {
        assertEquals(head[z] + 0.5f * cache[z], cacheOut[z], TOLERANCE);
      }
    }
  }

  @Test
  void pinnedOutputsAreFilledInPlace() throws Exception {
    float[] latents = pattern(C * L * LH * LW, 31);
    put("latents", latents, 1, C, L, LH, LW);
    FloatBuffer frames = directFloats(3 * 13 * H * W);
    FloatBuffer cache = directFloats(Z);
    try (OnnxTensor framesOut = OnnxTensor.createTensor(ENV, frames, new long[] {1, 3, 13, H, W});
        OnnxTensor cacheOut = OnnxTensor.createTensor(ENV, cache, new long[] {Z})) {
      bundle.run("vae_decoder_first", inputs, Map.of("frames", framesOut, "cache_out", cacheOut));
      assertEquals(latents[0], frames.get(0), 0f);
      assertEquals(lastLatentHead(latents)[Z - 1], cache.get(Z - 1), 0f);
    }
  }

  @Test
  void nativeOutputsStayInTheResultAndChainIntoTheNextRun() throws Exception {
    float[] latents = pattern(C * L * LH * LW, 37);
    put("latents", latents, 1, C, L, LH, LW);
    FloatBuffer frames = directFloats(3 * 13 * H * W);
    FloatBuffer laterFrames = directFloats(3 * 16 * H * W);
    try (OnnxTensor framesOut = OnnxTensor.createTensor(ENV, frames, new long[] {1, 3, 13, H, W});
        OnnxTensor laterFramesOut = OnnxTensor.createTensor(ENV, laterFrames, new long[] {1, 3, 16, H, W})) {
      OnnxTensor cache;
      try (OrtSession.Result first = bundle.runWithNativeOutputs("vae_decoder_first", inputs,
          Set.of("cache_out"), Map.of("frames", framesOut))) {
        assertEquals(latents[0], frames.get(0), 0f, "the pinned frames are written in place");
        cache = (OnnxTensor) first.get("cache_out").orElseThrow();
        assertTrue(first.get("frames").isPresent(), "the result lists the pinned output too");
        assertArrayEquals(lastLatentHead(latents), toArray(cache.getFloatBuffer()), 0f);
        // The held cache goes as is into the later decoder: cache_out = head + 0.5 cache_in.
        Map<String, OnnxTensor> later = Map.of("latents", inputs.get("latents"), "cache_in", cache);
        try (OrtSession.Result second = bundle.runWithNativeOutputs("vae_decoder", later, Set.of("cache_out"),
            Map.of("frames", laterFramesOut))) {
          float[] head = lastLatentHead(latents);
          float[] cacheOut = values(second, "cache_out");
          for (int z = 0; z < Z; z++) {
            assertEquals(1.5f * head[z], cacheOut[z], TOLERANCE);
          }
        }
      }
      assertTrue(cache.isClosed(), "closing the result closes the output it allocated");
      assertFalse(framesOut.isClosed(), "closing the result leaves the caller's pinned output open");
    }
  }

  @Test
  void nanOutputNamesGraphOutputAndElement() throws Exception {
    try (ModelBundle broken = ModelBundle.open(TestBundles.path("nan-output"), ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(1))) {
      float[] noise = fill(C * L * LH * LW, 1f);
      noise[7] = -1f; // sqrt(-1): the graph's defect turns this element into NaN
      putDitInputs(0, noise, fill(C * LH * LW, 2f), new float[4], new long[4], new long[4], new float[4 * 16],
          new float[4 * 9], new float[3 * D], new float[3]);
      GraphRunException e = assertThrows(GraphRunException.class, () -> broken.run("dit_chunk", inputs).close());
      assertEquals("dit_chunk.onnx: output 'chunk_latents' holds NaN at element 7 of 240 (row-major); the graph"
          + " produced a non-finite value, so its result is unusable", e.getMessage());
      assertEquals("chunk_latents", e.output());
      assertEquals(7, e.index());

      FloatBuffer out = directFloats(C * L * LH * LW);
      try (OnnxTensor pinned = OnnxTensor.createTensor(ENV, out, new long[] {1, C, L, LH, LW})) {
        GraphRunException pinnedError = assertThrows(GraphRunException.class,
            () -> broken.run("dit_chunk", inputs, Map.of("chunk_latents", pinned)));
        assertEquals(7, pinnedError.index());
        GraphRunException keptError = assertThrows(GraphRunException.class,
            () -> broken.runWithNativeOutputs("dit_chunk", inputs, Set.of(), Map.of("chunk_latents", pinned)));
        assertEquals(7, keptError.index(), "pinned outputs of a run with native outputs are checked too");
      }
    }
  }

  @Test
  void runFailureNamesTheGraph() throws Exception {
    put("image", new float[3 * H * (W + 1)], 1, 3, H, W + 1);
    GraphRunException e = assertThrows(GraphRunException.class, () -> bundle.run("vae_encoder", inputs).close());
    assertEquals("vae_encoder.onnx", e.graph());
    assertEquals(-1, e.index());
    assertTrue(e.getMessage().startsWith("vae_encoder.onnx: run failed: "), e.getMessage());
  }

  // Inputs.

  private void putDitInputs(int nCtx, float[] noise, float[] image, float[] cond, long[] action, long[] rope,
      float[] w2c, float[] intrinsics, float[] text, float[] textMask) throws OrtException {
    put("context_latents", pattern(C * nCtx * LH * LW, 37), 1, C, nCtx, LH, LW);
    put("context_w2c", pattern(nCtx * 16, 41), nCtx, 4, 4);
    put("context_intrinsics", pattern(nCtx * 9, 43), nCtx, 3, 3);
    put("context_action", longsUpTo(nCtx, 81), nCtx);
    put("context_rope_t", longsUpTo(nCtx, nCtx), nCtx);
    float[] contextCond = new float[nCtx];
    if (nCtx > 0) {
      contextCond[0] = 1;
    }
    put("context_cond_mask", contextCond, nCtx);
    put("chunk_noise", noise, 1, C, L, LH, LW);
    put("chunk_w2c", w2c, L, 4, 4);
    put("chunk_intrinsics", intrinsics, L, 3, 3);
    put("chunk_action", action, L);
    put("chunk_rope_t", rope, L);
    put("chunk_cond_mask", cond, L);
    put("image_latent", image, 1, C, LH, LW);
    put("sigmas", new float[] {1f, 0.9375f, 0.833333f, 0.625f, 0.25f}, 5);
    put("context_timestep", new float[] {14f}, 1);
    put("text_llm", text, 1, textMask.length, D);
    put("text_llm_mask", textMask, 1, textMask.length);
  }

  private void put(String name, float[] values, long... shape) throws OrtException {
    replace(name, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape));
  }

  private void put(String name, long[] values, long... shape) throws OrtException {
    replace(name, OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape));
  }

  private void replace(String name, OnnxTensor tensor) {
    OnnxTensor old = inputs.put(name, tensor);
    if (old != null) {
      old.close();
    }
  }

  private float[] floats(String name) {
    return toArray(inputs.get(name).getFloatBuffer());
  }

  private long[] longs(String name) {
    LongBuffer buffer = inputs.get(name).getLongBuffer();
    long[] values = new long[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private float[] runOne(String graph, String output) throws Exception {
    try (OrtSession.Result result = bundle.run(graph, inputs)) {
      return values(result, output);
    }
  }

  private static float[] values(OrtSession.Result result, String output) {
    return toArray(((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer());
  }

  // Arithmetic helpers.

  /** The first Z values of the last latent, as the decoders' caches take them. */
  private static float[] lastLatentHead(float[] latents) {
    float[] head = new float[Z];
    for (int z = 0; z < Z; z++) {
      int c = z / (LH * LW);
      int p = z % (LH * LW);
      head[z] = latents[(c * L + L - 1) * LH * LW + p];
    }
    return head;
  }

  /** Deterministic values in [-0.5, 0.5), different per {@code step}. */
  private static float[] pattern(int n, int step) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = ((i * step + 1) % 97) / 97f - 0.5f;
    }
    return values;
  }

  private static float[] fill(int n, float value) {
    float[] values = new float[n];
    Arrays.fill(values, value);
    return values;
  }

  private static long[] longsUpTo(int n, int bound) {
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = (i * 7L) % bound;
    }
    return values;
  }

  private static double sum(float[] values) {
    return sum(values, 0, values.length);
  }

  private static double sum(float[] values, int from, int count) {
    double total = 0;
    for (int i = from; i < from + count; i++) {
      total += values[i];
    }
    return total;
  }

  private static double sum(long[] values) {
    double total = 0;
    for (long value : values) {
      total += value;
    }
    return total;
  }

  private static float[] toArray(FloatBuffer buffer) {
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private static FloatBuffer directFloats(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private static LongBuffer directLongs(int n) {
    return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
  }
}
