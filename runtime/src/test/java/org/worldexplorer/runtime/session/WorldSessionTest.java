package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

class WorldSessionTest {

  static final Path SCENE = Path.of("..", "assets", "bundles", "reference-scene");
  static final Path MEADOW = Path.of("..", "assets", "images", "meadow.png");
  private static ModelBundle bundle;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.open(SCENE, ExecutionProvider.CPU, SessionSettings.defaults().withIntraOpThreads(2));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  private static DualAction[] forward(int n) {
    DualAction[] actions = new DualAction[n];
    java.util.Arrays.fill(actions, new DualAction(9, 0.08f, 0f, 0f, 0f));
    return actions;
  }

  @Test
  void chunksGiveThirteenThenSixteenFramesAndTheFirstFrameIsTheStartImage() throws Exception {
    BufferedImage image = StartImage.read(MEADOW);
    try (WorldSession session = new WorldSession(bundle, image, 7, "", true, null)) {
      ChunkResult first = session.generateChunk(forward(4));
      assertEquals(13, first.frameCount());
      assertEquals(0, first.selectedCount(), "chunk 0 has no context");
      FloatBuffer start = FloatBuffer.allocate(3 * 192 * 320);
      StartImage.prepare(image, 320, 192, start);
      double psnr = psnrFirstFrame(first.frames(), first.frameCount(), start);
      assertTrue(psnr > 30, "frame 0 should reproduce the start image, PSNR " + psnr);

      ChunkResult second = session.generateChunk(forward(4));
      assertEquals(16, second.frameCount());
      assertEquals(4, second.firstLatent());
      assertEquals(4, second.selectedCount(), "chunk 1 sees all 4 earlier latents");
      for (int chunk = 2; chunk < 7; chunk++) {
        ChunkResult r = session.generateChunk(forward(4));
        assertEquals(Math.min(4 * chunk, 20), r.selectedCount(), "context size at chunk " + chunk);
        assertTrue(r.timings().ditNanos > 0 && r.timings().decodeNanos > 0);
      }
      ByteBuffer rgb = ByteBuffer.allocateDirect(3 * 192 * 320);
      FrameConverter.toRgb8(second.frames(), 16, 15, 192, 320, rgb);
      assertTrue(meanByte(rgb) > 20, "a decoded frame is not black");
    }
  }

  @Test
  void theSameSeedAndActionsGiveIdenticalLatents() throws Exception {
    BufferedImage image = StartImage.read(MEADOW);
    float[] a = latentsAfter(image, 11, 3);
    float[] b = latentsAfter(image, 11, 3);
    assertTrue(java.util.Arrays.equals(a, b), "same seed, same actions: bit-identical latents");
  }

  @Test
  void aClosedSessionSaysSo() throws Exception {
    WorldSession session = new WorldSession(bundle, StartImage.read(MEADOW), 1, "", true, null);
    session.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.generateChunk(forward(4)));
    assertTrue(e.getMessage().contains("closed"));
  }

  private static float[] latentsAfter(BufferedImage image, long seed, int chunks) throws Exception {
    try (WorldSession session = new WorldSession(bundle, image, seed, "snow", true, null)) {
      ChunkResult r = null;
      for (int i = 0; i < chunks; i++) {
        r = session.generateChunk(forward(4));
      }
      float[] out = new float[r.latents().remaining()];
      r.latents().get(out);
      return out;
    }
  }

  static double psnrFirstFrame(FloatBuffer frames, int frameCount, FloatBuffer start) {
    int plane = 192 * 320;
    double mse = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        double d = (frames.get(c * frameCount * plane + i) - start.get(c * plane + i)) / 2.0;
        mse += d * d;
      }
    }
    mse /= 3.0 * plane;
    return 10 * Math.log10(1.0 / mse);
  }

  private static double meanByte(ByteBuffer rgb) {
    long sum = 0;
    for (int i = 0; i < rgb.capacity(); i++) {
      sum += rgb.get(i) & 0xff;
    }
    return (double) sum / rgb.capacity();
  }

  @Test
  void posesReachedByActionsGiveTheSameChunksAsTheActions() throws Exception {
    BufferedImage image = StartImage.read(MEADOW);
    DualAction step = new DualAction(9, 0.08f, 0f, 3f, 0f);
    DualAction[] actions = new DualAction[4];
    java.util.Arrays.fill(actions, step);
    org.joml.Matrix4d pose = new org.joml.Matrix4d();
    try (WorldSession byActions = new WorldSession(bundle, image, 5, "", true, null);
        WorldSession byPoses = new WorldSession(bundle, image, 5, "", true, null)) {
      for (int chunk = 0; chunk < 3; chunk++) {
        org.joml.Matrix4d[] poses = new org.joml.Matrix4d[4];
        for (int l = 0; l < 4; l++) {
          if (chunk > 0 || l > 0) {
            org.worldexplorer.runtime.camera.CameraStep.apply(pose, step.forward(), step.right(), step.yawDegrees(), step.pitchDegrees());
          }
          poses[l] = new org.joml.Matrix4d(pose);
        }
        float[] a = copy(byActions.generateChunk(actions).latents());
        float[] b = copy(byPoses.generateChunkAt(poses, actions).latents());
        assertTrue(java.util.Arrays.equals(a, b), "chunk " + chunk + ": same poses, same latents");
      }
      org.joml.Matrix4f expected = byActions.track().worldToCamera(11, new org.joml.Matrix4f());
      org.joml.Matrix4f actual = byPoses.track().worldToCamera(11, new org.joml.Matrix4f());
      assertTrue(expected.equals(actual, 1e-6f), expected + " vs " + actual);
    }
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] out = new float[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
