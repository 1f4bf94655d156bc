package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * The text-vision test bundle of models/tools/make_test_graphs.py: a template stream with crop_start 3
 * ("describe the world: {prompt}. end", simple tokenizer, 6 DiT tokens), a quoted-glyph stream on the bytes
 * tokenizer (16 tokens) and an image encoder (6 × 10 pixels → 30 tokens of 6). Its encoders compute
 * {@code embeds[n, j] = (scale (id·dim + j) + offset + 0.001 n) · mask[n]}, so the DiT's inputs are known.
 */
class TextVisionBundleTest {

  static final Path BUNDLE = Path.of("src", "test", "resources", "bundles", "text-vision");
  private static final int LLM_TOKENS = 6;
  private static final int CROP = 3;
  private static final int LLM_DIM = 6;
  private static final int GLYPH_TOKENS = 16;
  private static final int GLYPH_DIM = 4;
  // Indices in the bundle's vocabulary.
  private static final long DESCRIBE = 2;
  private static final long THE = 3;
  private static final long WORLD = 4;
  private static final long END = 5;
  private static final long A = 6;
  private static final long STORM = 7;
  private static final long ROLLS = 8;
  private static final long IN = 9;

  private static ModelBundle bundle;
  private static BufferedImage image;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.open(BUNDLE, ExecutionProvider.CPU, SessionSettings.defaults().withIntraOpThreads(1));
    image = StartImage.read(BUNDLE.resolve("golden/start.png"));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  private record Stream(long[] ids, float[] mask, float[] embeds) {}

  private static Stream stream(WorldSession session, int index, int encoderTokens, int tokens, int dim) {
    Stream s = new Stream(new long[encoderTokens], new float[tokens], new float[tokens * dim]);
    session.textConditioning().copyStream(index, s.ids, s.mask, s.embeds);
    return s;
  }

  /** What the encoder gives for token {@code n} of the encoder's input, as the test graph computes it. */
  private static float encoded(double scale, double offset, int dim, long id, int j, int n) {
    return (float) (scale * (id * dim + j) + offset + 0.001 * n);
  }

  @Test
  void theTemplateStreamSeesTheInstructionAndTheDitSeesOnlyThePromptRows() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "a storm rolls in", true, null)) {
      Stream llm = stream(session, 0, LLM_TOKENS + CROP, LLM_TOKENS, LLM_DIM);
      assertArrayEquals(new long[] {DESCRIBE, THE, WORLD, A, STORM, ROLLS, IN, END, 0}, llm.ids);
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0}, llm.mask);
      for (int r = 0; r < LLM_TOKENS; r++) {
        for (int j = 0; j < LLM_DIM; j++) {
          float expected = llm.mask[r] * encoded(0.01, 0.5, LLM_DIM, llm.ids[r + CROP], j, r + CROP);
          assertEquals(expected, llm.embeds[r * LLM_DIM + j], 1e-6f, "row " + r + ", column " + j);
        }
      }
      assertEquals(encoded(0.01, 0.5, LLM_DIM, A, 0, 3), llm.embeds[0], 1e-6f, "row 0 is the prompt's first word");
    }
  }

  @Test
  void aNullCropStartIsCountedWithTheTokenizer(@TempDir Path temp) throws Exception {
    Path copy = temp.resolve("text-vision");
    try (var files = Files.walk(BUNDLE)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(BUNDLE.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    Path manifest = copy.resolve("manifest.json");
    String json = Files.readString(manifest);
    String counted = json.replace("\"crop_start\": " + CROP, "\"crop_start\": null");
    assertTrue(!counted.equals(json), "the manifest names crop_start " + CROP);
    Files.writeString(manifest, counted);
    try (ModelBundle model = ModelBundle.open(copy, ExecutionProvider.CPU, SessionSettings.defaults()
            .withIntraOpThreads(1));
        WorldSession counting = new WorldSession(model, image, 1, "a storm rolls in", true, null);
        WorldSession fixed = new WorldSession(bundle, image, 1, "a storm rolls in", true, null)) {
      // "describe the world: " is three tokens, the crop_start the original manifest states.
      Stream a = stream(counting, 0, LLM_TOKENS + CROP, LLM_TOKENS, LLM_DIM);
      Stream b = stream(fixed, 0, LLM_TOKENS + CROP, LLM_TOKENS, LLM_DIM);
      assertArrayEquals(b.ids, a.ids);
      assertArrayEquals(b.mask, a.mask);
      assertArrayEquals(b.embeds, a.embeds);
    }
  }

  @Test
  void anEmptyPromptIsASingleSpaceInTheTemplate() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "", true, null)) {
      Stream llm = stream(session, 0, LLM_TOKENS + CROP, LLM_TOKENS, LLM_DIM);
      assertArrayEquals(new long[] {DESCRIBE, THE, WORLD, END, 0, 0, 0, 0, 0}, llm.ids);
      assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0}, llm.mask);
      assertEquals(encoded(0.01, 0.5, LLM_DIM, END, 5, 3), llm.embeds[5], 1e-6f);
    }
  }

  @Test
  void aPromptTooLongForTheTemplateIsCutAndTheNoticeSaysSo() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "", true, null)) {
      session.setPrompt("a storm rolls in a storm rolls in");
      assertTrue(session.promptNotice().contains("the prompt and its instruction have 12 tokens; stream 'llm'"
          + " reads 9"), session.promptNotice());
      Stream llm = stream(session, 0, LLM_TOKENS + CROP, LLM_TOKENS, LLM_DIM);
      assertArrayEquals(new long[] {DESCRIBE, THE, WORLD, A, STORM, ROLLS, IN, A, STORM}, llm.ids);
      assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, llm.mask);
    }
  }

  @Test
  void theGlyphStreamEncodesTheQuotedTextAsBytes() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "a sign says \u201cOPEN\u201d", true, null)) {
      Stream glyph = stream(session, 1, GLYPH_TOKENS, GLYPH_TOKENS, GLYPH_DIM);
      byte[] text = "Text \"OPEN\". ".getBytes(StandardCharsets.US_ASCII);
      long[] ids = new long[GLYPH_TOKENS];
      for (int i = 0; i < text.length; i++) {
        ids[i] = text[i] + 3;
      }
      ids[text.length] = 1;
      assertArrayEquals(ids, glyph.ids);
      for (int n = 0; n < GLYPH_TOKENS; n++) {
        float mask = n <= text.length ? 1 : 0;
        assertEquals(mask, glyph.mask[n], "mask " + n);
        for (int j = 0; j < GLYPH_DIM; j++) {
          assertEquals(mask * encoded(0.001, 0.25, GLYPH_DIM, ids[n], j, n), glyph.embeds[n * GLYPH_DIM + j], 1e-6f);
        }
      }
    }
  }

  @Test
  void withoutQuotedTextTheGlyphStreamIsAllZeroAndNotEncoded() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "a sign says \"OPEN\"", true, null)) {
      session.setPrompt("a storm rolls in");
      Stream glyph = stream(session, 1, GLYPH_TOKENS, GLYPH_TOKENS, GLYPH_DIM);
      // An encoded empty text would still hold the end id with mask 1 in row 0.
      assertArrayEquals(new long[GLYPH_TOKENS], glyph.ids);
      assertArrayEquals(new float[GLYPH_TOKENS], glyph.mask);
      assertArrayEquals(new float[GLYPH_TOKENS * GLYPH_DIM], glyph.embeds);
      session.generateChunk(still());
    }
  }

  @Test
  void longQuotedTextIsCutKeepingTheEndIdAndTheNoticeShowsWhere() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "\"ABCDEFGHIJKL\"", true, null)) {
      // "Text \"ABCDEFGHIJKL\". " is 21 bytes, 22 tokens with the end id; 15 bytes fit.
      assertTrue(session.promptNotice().contains("the quoted text takes 22 tokens; stream 'glyph' reads 16, so it"
          + " was cut after \"Text \"ABCDEFGHI\""), session.promptNotice());
      Stream glyph = stream(session, 1, GLYPH_TOKENS, GLYPH_TOKENS, GLYPH_DIM);
      assertEquals(1, glyph.ids[GLYPH_TOKENS - 1]);
      assertEquals('I' + 3, glyph.ids[GLYPH_TOKENS - 2]);
    }
  }

  @Test
  void theImageEncoderReadsTheStartImageResizedBilinearlyAndTheDitReadsItsTokens() throws Exception {
    float[] golden = floats(BUNDLE.resolve("golden/vision_pixels.f32"));
    try (WorldSession session = new WorldSession(bundle, image, 1, "", true, null)) {
      VisionConditioning vision = session.visionConditioning();
      float[] pixels = new float[3 * 6 * 10];
      vision.copyPixels(pixels);
      assertArrayEquals(golden, pixels, 2e-6f, "torch's antialiased bilinear resize of the same image");
      float[] tokens = new float[30 * 6];
      vision.copyTokens(tokens);
      for (int i = 0; i < tokens.length; i++) {
        assertEquals(0.5f * golden[i] + 0.25f, tokens[i], 2e-6f, "token value " + i);
      }
      ChunkResult first = session.generateChunk(still());
      assertEquals(0, first.chunkIndex());
    }
  }

  /** A chunk's timings carry the text encoding done since the chunk before, once. */
  @Test
  void theChunkAfterAPromptSwitchReportsItsTextTime() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "a storm", true, null)) {
      assertEquals(0, session.generateChunk(still()).timings().textNanos, "no switch before chunk 0");
      assertTrue(session.setPrompt("a storm rolls in"), "a new prompt runs the encoder");
      ChunkResult switched = session.generateChunk(still());
      assertTrue(switched.timings().textNanos > 0, "the switch's encoder time comes with the next chunk");
      assertEquals(0, session.generateChunk(still()).timings().textNanos, "and only with that chunk");
    }
  }

  private static DualAction[] still() {
    DualAction[] actions = new DualAction[4];
    Arrays.fill(actions, DualAction.STILL);
    return actions;
  }

  private static float[] floats(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }
}
