package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * The prompt-cache test bundle of models/tools/make_test_graphs.py: stream 'llm' has an encoder, stream 'cached'
 * (4 tokens of 3) has none and is read from prompt_cache/, which holds, for its k-th prompt,
 * {@code embeds[n, j] = k + 0.1 n + 0.01 j} and mask 1 for {@code n <= k}.
 */
class PromptCacheBundleTest {

  static final Path BUNDLE = Path.of("src", "test", "resources", "bundles", "prompt-cache");
  private static final List<String> CACHED = List.of("a storm rolls in", "it starts to snow", "snow");

  private static ModelBundle bundle;
  private static BufferedImage image;

  @TempDir Path temp;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.open(BUNDLE, ExecutionProvider.CPU, SessionSettings.defaults().withIntraOpThreads(1));
    image = StartImage.read(TextVisionBundleTest.BUNDLE.resolve("golden/start.png"));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  /** The cached stream's embeddings and mask as the DiT reads them. */
  private static float[][] cached(WorldSession session) {
    float[] mask = new float[4];
    float[] embeds = new float[12];
    session.textConditioning().copyStream(1, new long[4], mask, embeds);
    return new float[][] {embeds, mask};
  }

  private static void assertCachedPrompt(int k, WorldSession session) {
    float[][] got = cached(session);
    for (int n = 0; n < 4; n++) {
      float mask = n <= k ? 1 : 0;
      assertEquals(mask, got[1][n], "mask " + n + " of prompt " + k);
      for (int j = 0; j < 3; j++) {
        assertEquals(mask * (k + 0.1f * n + 0.01f * j), got[0][n * 3 + j], 1e-6f, "prompt " + k + " row " + n);
      }
    }
  }

  @Test
  void aCachedPromptFeedsTheCachedValuesAndTheOtherStreamIsEncoded() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "a storm rolls in", true, null)) {
      assertEquals(CACHED, session.cachedPrompts());
      assertEquals("", session.promptNotice());
      assertCachedPrompt(1, session);
      float[] llmMask = new float[8];
      long[] llmIds = new long[8];
      session.textConditioning().copyStream(0, llmIds, llmMask, new float[48]);
      assertArrayEquals(new long[] {2, 3, 4, 5, 0, 0, 0, 0}, llmIds, "a storm rolls in, in the simple vocabulary");
      assertTrue(session.setPrompt("snow"), "stream 'llm' has not seen this prompt");
      assertCachedPrompt(3, session);
      session.generateChunk(still());
    }
  }

  @Test
  void anUncachedPromptIsRefusedWithTheCachedOnesAndTheWorldKeepsItsPrompt() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "it starts to snow", true, null)) {
      assertFalse(session.setPrompt("fog"));
      String notice = session.promptNotice();
      assertTrue(notice.contains("\"fog\" is not in this bundle's prompt cache, and it has no text encoder for"
          + " stream 'cached'"), notice);
      assertTrue(notice.contains("cached prompts: \"a storm rolls in\", \"it starts to snow\", \"snow\""), notice);
      assertTrue(notice.endsWith("the world keeps \"it starts to snow\""), notice);
      assertEquals("it starts to snow", session.prompt());
      assertCachedPrompt(2, session);
    }
  }

  @Test
  void anUncachedFirstPromptStartsWithTheFirstCachedOne() throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, 1, "", true, null)) {
      assertEquals("a storm rolls in", session.prompt());
      assertTrue(session.promptNotice().contains("starting with \"a storm rolls in\""), session.promptNotice());
      assertCachedPrompt(1, session);
    }
  }

  @Test
  void aCacheFileOfTheWrongSizeStopsTheSessionWithTheFileAndBothSizes() throws Exception {
    Path copy = copyBundle();
    Path file = copy.resolve("prompt_cache/0002_cached.f32");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 60));
    try (ModelBundle broken = ModelBundle.open(copy, ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(1))) {
      BundleException e = assertThrows(BundleException.class,
          () -> new WorldSession(broken, image, 1, "snow", true, null).close());
      assertTrue(e.getMessage().contains("0002_cached.f32") && e.getMessage().contains("has 60 bytes; expected 64"),
          e.getMessage());
    }
  }

  private Path copyBundle() throws IOException {
    Path copy = temp.resolve("prompt-cache");
    try (Stream<Path> files = Files.walk(BUNDLE)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(BUNDLE.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    return copy;
  }

  private static DualAction[] still() {
    DualAction[] actions = new DualAction[4];
    Arrays.fill(actions, DualAction.STILL);
    return actions;
  }
}
