package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/** Text events on the reference-scene bundle: when they take effect, the cache, and the messages. */
class TextEventsTest {

  private static ModelBundle bundle;
  private static BufferedImage image;

  @TempDir Path cache;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.open(WorldSessionTest.SCENE, ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(2));
    image = StartImage.read(WorldSessionTest.MEADOW);
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  private static DualAction[] still() {
    DualAction[] a = new DualAction[4];
    java.util.Arrays.fill(a, DualAction.STILL);
    return a;
  }

  private static float[] frames(ChunkResult r) {
    FloatBuffer f = r.frames().duplicate();
    float[] out = new float[f.remaining()];
    f.get(out);
    return out;
  }

  private static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  @Test
  void aNightEventDarkensTheFramesFromItsChunkOnAndNotBefore() throws Exception {
    float[][] plain = new float[4][];
    float[][] evented = new float[4][];
    try (WorldSession a = new WorldSession(bundle, image, 5, "", true, null);
        WorldSession b = new WorldSession(bundle, image, 5, "", true, null)) {
      for (int chunk = 0; chunk < 4; chunk++) {
        if (chunk == 2) {
          assertTrue(b.setPrompt("night"), "a new prompt runs the text encoder");
        }
        plain[chunk] = frames(a.generateChunk(still()));
        evented[chunk] = frames(b.generateChunk(still()));
      }
    }
    assertArrayEquals(plain[0], evented[0], "chunk 0 is before the event");
    assertArrayEquals(plain[1], evented[1], "chunk 1 is before the event");
    double before = mean(plain[2]);
    double after = mean(evented[2]);
    // Frames are in [-1, 1]; compare brightness on the [0, 1] scale.
    double drop = 1 - (after + 1) / (before + 1);
    System.out.printf("night event: mean brightness %.3f -> %.3f (%.0f%% darker)%n", (before + 1) / 2,
        (after + 1) / 2, 100 * drop);
    assertTrue(drop > 0.3, "night should darken by more than 30%, got " + drop);
  }

  @Test
  void aRepeatedPromptIsACacheHitInMemoryAndOnDiskAcrossSessions() throws Exception {
    long encodeNanos;
    long memoryHitNanos;
    long diskHitNanos;
    try (WorldSession first = new WorldSession(bundle, image, 1, "", true, null, cache)) {
      long t = System.nanoTime();
      assertTrue(first.setPrompt("a storm rolls in"));
      encodeNanos = System.nanoTime() - t;
      first.setPrompt("fog");
      t = System.nanoTime();
      assertFalse(first.setPrompt("a storm rolls in"), "second time: from memory");
      memoryHitNanos = System.nanoTime() - t;
    }
    try (WorldSession second = new WorldSession(bundle, image, 1, "", true, null, cache)) {
      long t = System.nanoTime();
      assertFalse(second.setPrompt("a storm rolls in"), "a new session finds it on disk");
      diskHitNanos = System.nanoTime() - t;
    }
    System.out.printf("text: encode %.3f ms, memory hit %.3f ms, disk hit %.3f ms%n", encodeNanos / 1e6,
        memoryHitNanos / 1e6, diskHitNanos / 1e6);
  }

  @Test
  void aPromptFromTheDiskCacheGivesTheSameWorldAsAFreshlyEncodedOne() throws Exception {
    float[] fresh;
    float[] cached;
    try (WorldSession s = new WorldSession(bundle, image, 3, "snow", true, null, cache)) {
      fresh = frames(s.generateChunk(still()));
    }
    try (WorldSession s = new WorldSession(bundle, image, 3, "snow", true, null, cache)) {
      cached = frames(s.generateChunk(still()));
    }
    assertArrayEquals(fresh, cached);
  }

  @Test
  void aLongPromptIsCutAndTheNoticeSaysWhere() throws Exception {
    try (WorldSession s = new WorldSession(bundle, image, 1, "", true, null)) {
      String longPrompt = "fog ".repeat(40) + "night";
      s.setPrompt(longPrompt);
      assertTrue(s.promptNotice().contains("the prompt has 41 tokens; the model reads the first 32"),
          s.promptNotice());
      s.setPrompt("x".repeat(5000));
      assertTrue(s.promptNotice().contains("cut to 2000 characters (it had 5000)"), s.promptNotice());
    }
  }

  @Test
  void unknownWordsAreNamedAndAnEmptyPromptIsFine() throws Exception {
    try (WorldSession s = new WorldSession(bundle, image, 1, "", true, null)) {
      s.setPrompt("a purple dragon at night");
      assertTrue(s.promptNotice().contains("does not know"), s.promptNotice());
      assertTrue(s.promptNotice().contains("dragon"), s.promptNotice());
      s.setPrompt("   ");
      assertEquals("", s.promptNotice());
      assertEquals("", s.prompt());
    }
  }
}
