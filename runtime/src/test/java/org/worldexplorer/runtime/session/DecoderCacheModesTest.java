package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * The two ways the decoder cache crosses between chunks: host buffers (pinned, every small bundle) and ONNX
 * Runtime's own memory (chained, for caches past 2 GB). A threshold of 0 bytes makes reference-tiny chain its
 * 89,856-value cache, so both modes run the same walk and must give bit-identical latents and frames.
 */
class DecoderCacheModesTest {

  @TempDir
  Path temp;

  private static final int CHUNKS = 5;
  private static final long CHAIN_ALWAYS = 0;
  private static TinyGolden golden;
  private static ModelBundle bundle;
  private static BufferedImage start;

  @BeforeAll
  static void open() throws Exception {
    golden = new TinyGolden(ReferenceTinyParityTest.TINY.resolve("golden"));
    bundle = ModelBundle.open(ReferenceTinyParityTest.TINY, ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(2));
    start = StartImage.read(golden.startImage());
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  private static WorldSession session(long chainAboveBytes) throws Exception {
    return new WorldSession(bundle, start, golden.seed(), golden.prompts().get(0).text(), true, null, null,
        chainAboveBytes);
  }

  @Test
  void bothModesGiveIdenticalLatentsAndFrames() throws Exception {
    long z = bundle.manifest().vae().cacheSize();
    List<float[]> pinned = new ArrayList<>();
    try (WorldSession session = new WorldSession(bundle, start, golden.seed(), golden.prompts().get(0).text(), true,
        null)) {
      assertEquals(DecoderCache.Mode.PINNED, session.decoderCache().mode(), "a small cache keeps today's path");
      assertEquals(2 * z, session.decoderCache().hostValues(), "two host buffers of Z floats");
      walk(session, pinned);
    }
    List<float[]> chained = new ArrayList<>();
    try (WorldSession session = session(CHAIN_ALWAYS)) {
      assertEquals(DecoderCache.Mode.CHAINED, session.decoderCache().mode());
      assertEquals(0, session.decoderCache().hostValues(), "no Java buffer holds the chained cache");
      walk(session, chained);
    }
    assertEquals(2 * CHUNKS, pinned.size());
    for (int c = 0; c < CHUNKS; c++) {
      assertArrayEquals(pinned.get(2 * c), chained.get(2 * c), 0f, "latents of chunk " + c);
      assertArrayEquals(pinned.get(2 * c + 1), chained.get(2 * c + 1), 0f, "frames of chunk " + c);
    }
  }

  @Test
  void theChainedCacheIsHeldOneChunkAtATimeAndClosedWithTheSession() throws Exception {
    long z = bundle.manifest().vae().cacheSize();
    for (int round = 0; round < 3; round++) {
      OnnxTensor last;
      try (WorldSession session = session(CHAIN_ALWAYS)) {
        ChainedDecoderCache cache = (ChainedDecoderCache) session.decoderCache();
        assertNull(cache.heldCache(), "nothing is held before the first chunk");
        session.generateChunk(golden.actions(0));
        OnnxTensor previous = cache.heldCache();
        assertNotNull(previous, "chunk 0 leaves its cache_out held");
        assertArrayEquals(new long[] {z}, previous.getInfo().getShape());
        assertEquals(OnnxJavaType.FLOAT, previous.getInfo().type);
        for (int c = 1; c < 3; c++) {
          session.generateChunk(golden.actions(c));
          OnnxTensor held = cache.heldCache();
          assertNotSame(previous, held, "chunk " + c + " holds its own cache_out");
          assertTrue(previous.isClosed(), "the cache chunk " + c + " read is closed once it ran");
          assertFalse(held.isClosed());
          previous = held;
        }
        last = previous;
        session.close();
        assertTrue(last.isClosed(), "closing the session closes the held cache (round " + round + ")");
        assertNull(cache.heldCache());
      }
    }
  }

  @Test
  void aFailedDecodeReleasesTheHeldCacheAndLaterDecodesSaySo() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    // The valid test bundle: latents [1, 4, 4, 3, 5], frames of 24 x 40, Z = 10.
    try (ModelBundle valid = ModelBundle.open(DecoderCacheChoiceTest.testBundle("valid"), ExecutionProvider.CPU,
            SessionSettings.defaults().withIntraOpThreads(1));
        ChainedDecoderCache cache = new ChainedDecoderCache(valid);
        OnnxTensor latents = OnnxTensor.createTensor(env, FloatBuffer.allocate(4 * 4 * 3 * 5),
            new long[] {1, 4, 4, 3, 5});
        OnnxTensor wrongLatents = OnnxTensor.createTensor(env, FloatBuffer.allocate(4 * 4 * 3 * 6),
            new long[] {1, 4, 4, 3, 6});
        OnnxTensor first = OnnxTensor.createTensor(env, NativeBuffers.floats(3 * 13 * 24 * 40),
            new long[] {1, 3, 13, 24, 40});
        OnnxTensor later = OnnxTensor.createTensor(env, NativeBuffers.floats(3 * 16 * 24 * 40),
            new long[] {1, 3, 16, 24, 40})) {
      IllegalStateException early = assertThrows(IllegalStateException.class,
          () -> cache.decodeLater(latents, later));
      assertTrue(early.getMessage().contains("run vae_decoder_first first"), early.getMessage());
      cache.decodeFirst(latents, first);
      OnnxTensor held = cache.heldCache();
      assertArrayEquals(new long[] {10}, held.getInfo().getShape());
      GraphRunException failed = assertThrows(GraphRunException.class, () -> cache.decodeLater(wrongLatents, later));
      assertEquals("vae_decoder.onnx", failed.graph());
      assertTrue(held.isClosed(), "a failed decode frees the held cache");
      assertNull(cache.heldCache());
      IllegalStateException after = assertThrows(IllegalStateException.class,
          () -> cache.decodeLater(latents, later));
      assertEquals("the decoder cache was released when vae_decoder failed; start a new session",
          after.getMessage());
    }
  }

  @Test
  void decoderCachesWhoseDtypesDisagreeStayPinnedEvenWhenAskedToChain() throws Exception {
    try (ModelBundle half = ModelBundle.open(playable("half-boundaries"), ExecutionProvider.CPU, SessionSettings.defaults().withIntraOpThreads(1));
        WorldSession session = new WorldSession(half, gradient(40, 24), 21, "a storm rolls in", true, null, null,
            CHAIN_ALWAYS)) {
      assertEquals(DecoderCache.Mode.PINNED, session.decoderCache().mode(),
          "a float16 → bfloat16 cache needs the host to convert it");
      DualAction[] actions = new DualAction[session.chunkLatents()];
      Arrays.fill(actions, new DualAction(9, 0.08f, 0f, 3f, 0f));
      for (int c = 0; c < 3; c++) {
        assertEquals(c == 0 ? 13 : 16, session.generateChunk(actions).frameCount());
      }
    }
  }

  /**
   * A copy of a test bundle a session can start on: their memory forces 4 latents into a context of 6, which
   * leaves the selector no room (as in {@link HalfPrecisionBoundaryTest}).
   */
  private Path playable(String name) throws Exception {
    Path source = DecoderCacheChoiceTest.testBundle(name);
    Path folder = Files.createDirectories(temp.resolve(name));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(folder.resolve("manifest.json").toFile());
    manifest.with("memory").putArray("always_included");
    json.writeValue(folder.resolve("manifest.json").toFile(), manifest);
    return folder;
  }

  /** Latents and frames of each chunk of the golden walk, alternating. */
  private static void walk(WorldSession session, List<float[]> out) throws Exception {
    for (int c = 0; c < CHUNKS; c++) {
      ChunkResult result = session.generateChunk(golden.actions(c));
      out.add(copy(result.latents()));
      out.add(copy(result.frames()));
    }
  }

  private static float[] copy(FloatBuffer values) {
    float[] out = new float[values.remaining()];
    values.duplicate().get(out);
    return out;
  }

  private static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 6) << 16 | (y * 10) << 8 | ((x + y) * 4));
      }
    }
    return image;
  }
}
