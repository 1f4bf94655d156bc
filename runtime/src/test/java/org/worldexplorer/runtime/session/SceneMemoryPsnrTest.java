package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.joml.Matrix4f;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;

/**
 * Memory on reference-scene: turn right until the view is almost all new (the start image covers 45 degrees
 * either side), keep turning for as many chunks again, then turn back. The frame at the return is compared with
 * the frame of the first visit; the first visit lies outside the 12-latent temporal window, so only spatial
 * retrieval can bring it back.
 */
class SceneMemoryPsnrTest {

  private static final int HEIGHT = 192;
  private static final int WIDTH = 320;
  private static final float TURN = 6f;
  private static final int OUT_CHUNKS = 4;   // chunks 1..4 turn right: 18 + 96 degrees at the first visit
  private static final int AWAY_CHUNKS = 4;  // then further right, then the same back
  private static ModelBundle bundle;

  @BeforeAll
  static void open() throws Exception {
    bundle = ModelBundle.open(WorldSessionTest.SCENE, ExecutionProvider.CPU,
        SessionSettings.defaults().withIntraOpThreads(2));
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @Test
  void returningToAPlaceShowsWhatWasThereOnlyWithSpatialMemory() throws Exception {
    BufferedImage image = StartImage.read(WorldSessionTest.MEADOW);
    double withMemory = returnPsnr(image, true);
    double withoutMemory = returnPsnr(image, false);
    System.out.printf("reference-scene return after %d chunks: PSNR %.2f dB with spatial memory, %.2f dB with "
        + "recent latents only%n", 2 * AWAY_CHUNKS, withMemory, withoutMemory);
    assertTrue(withMemory >= 25, "with memory the return should look like the first visit, PSNR " + withMemory);
    assertTrue(withMemory - withoutMemory >= 5, "spatial memory should be worth at least 5 dB, got "
        + withMemory + " vs " + withoutMemory);
  }

  /** PSNR (8-bit frames) between the last frame of the first visit and the last frame at the return. */
  private static double returnPsnr(BufferedImage image, boolean spatialMemory) throws Exception {
    ByteBuffer firstVisit = ByteBuffer.allocateDirect(3 * HEIGHT * WIDTH);
    ByteBuffer returned = ByteBuffer.allocateDirect(3 * HEIGHT * WIDTH);
    DualAction right = new DualAction(1, 0f, 0f, TURN, 0f);
    DualAction left = new DualAction(2, 0f, 0f, -TURN, 0f);
    try (WorldSession session = new WorldSession(bundle, image, 3, "", spatialMemory, null)) {
      session.generateChunk(new DualAction[] {DualAction.STILL, right, right, right});
      ChunkResult r = null;
      for (int c = 0; c < OUT_CHUNKS; c++) {
        r = session.generateChunk(repeat(right));
      }
      FrameConverter.toRgb8(r.frames(), r.frameCount(), r.frameCount() - 1, HEIGHT, WIDTH, firstVisit);
      int firstVisitLatent = r.firstLatent() + session.chunkLatents() - 1;
      for (int c = 0; c < AWAY_CHUNKS; c++) {
        session.generateChunk(repeat(right));
      }
      for (int c = 0; c < AWAY_CHUNKS; c++) {
        r = session.generateChunk(repeat(left));
      }
      FrameConverter.toRgb8(r.frames(), r.frameCount(), r.frameCount() - 1, HEIGHT, WIDTH, returned);
      int returnLatent = r.firstLatent() + session.chunkLatents() - 1;
      assertSamePose(session, firstVisitLatent, returnLatent);
      assertTrue(firstVisitLatent < returnLatent - session.chunkLatents() - 12,
          "the first visit must lie outside the temporal window");
      boolean reachedBack = false;
      for (int i = 0; i < r.selectedCount(); i++) {
        reachedBack |= r.retrieved()[i] && r.selected()[i] < r.firstLatent() - 12;
      }
      assertEquals(spatialMemory, reachedBack, "only spatial retrieval reaches past the temporal window");
    }
    return psnr(firstVisit, returned);
  }

  private static void assertSamePose(WorldSession session, int a, int b) {
    Matrix4f first = session.track().worldToCamera(a, new Matrix4f());
    Matrix4f second = session.track().worldToCamera(b, new Matrix4f());
    for (int i = 0; i < 16; i++) {
      assertEquals(first.get(i / 4, i % 4), second.get(i / 4, i % 4), 1e-5, "the walk returns to the same pose");
    }
  }

  private static DualAction[] repeat(DualAction action) {
    return new DualAction[] {action, action, action, action};
  }

  static double psnr(ByteBuffer a, ByteBuffer b) {
    double mse = 0;
    for (int i = 0; i < a.capacity(); i++) {
      double d = (a.get(i) & 0xff) - (b.get(i) & 0xff);
      mse += d * d;
    }
    mse /= a.capacity();
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
