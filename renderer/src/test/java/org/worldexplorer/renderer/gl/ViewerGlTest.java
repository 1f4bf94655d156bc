package org.worldexplorer.renderer.gl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imgui.ImGui;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.renderer.input.Control;
import org.worldexplorer.renderer.input.KeyBindings;
import org.worldexplorer.renderer.input.MovementInput;
import org.worldexplorer.renderer.pacing.FrameQueue;
import org.worldexplorer.renderer.viewer.Viewer;
import org.worldexplorer.renderer.viewer.ViewerListener;
import org.worldexplorer.renderer.viewer.ViewerStatus;

@Tag("gl")
class ViewerGlTest {

  private static final int W = 64;
  private static final int H = 36;

  @TempDir Path shots;

  /** Frame n is a solid grey of level 10 * n, so a screenshot tells which frame is on screen. */
  private static void fill(ByteBuffer slot, int n) {
    for (int i = 0; i < W * H * 3; i++) {
      slot.put((byte) (10 * n));
    }
  }

  @Test
  void showsQueuedFramesInOrderAtTheFrameRateAndTakesAScreenshot() throws Exception {
    DisplayRequirement.requireDisplay();
    FrameQueue queue = new FrameQueue(4, W * H * 3);
    List<Long> shown = new ArrayList<>();
    List<Path> screenshots = new ArrayList<>();
    int frames = 12;
    Thread producer = new Thread(() -> {
      try {
        for (int n = 0; n < frames; n++) {
          fill(queue.beginWrite(5, TimeUnit.SECONDS), n);
          queue.commitWrite(n);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try (Viewer viewer = Viewer.open("ViewerGlTest", W, H, 48, queue, KeyBindings.defaults(), shots, false)) {
      ViewerListener listener = new RecordingListener(shown, screenshots);
      producer.start();
      while (queue.available() < queue.capacity()) {
        Thread.sleep(1); // start with a full queue so the synthetic clock, not thread start-up, decides
      }
      long start = System.nanoTime();
      // Drive refreshes by hand with a synthetic clock at 240 Hz: 12 frames at 48 FPS take 0.25 s.
      for (int refresh = 0; refresh < 62; refresh++) {
        viewer.refreshForTest(listener, start + refresh * 1_000_000_000L / 240);
        if (refresh == 40) {
          viewer.requestScreenshot();
        }
      }
      producer.join();
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), shown);
      assertEquals(1, screenshots.size());
      BufferedImage shot = ImageIO.read(screenshots.get(0).toFile());
      assertNotNull(shot);
      // Refresh 40 is at 40/240 s = 8 frame intervals of 1/48 s: frame 8 (grey 80) fills the centre.
      int centre = shot.getRGB(shot.getWidth() / 2, shot.getHeight() - 5) & 0xff;
      assertEquals(80, centre, "the screenshot shows frame 8");
    }
  }

  private static final class RecordingListener implements ViewerListener {
    private final List<Long> shown;
    private final List<Path> screenshots;

    RecordingListener(List<Long> shown, List<Path> screenshots) {
      this.shown = shown;
      this.screenshots = screenshots;
    }

    @Override
    public void onInput(MovementInput input, long nowNanos) {
      assertTrue(input.isIdle(), "nobody touches the keyboard in this test");
    }

    @Override
    public void onFrameShown(long frameNumber, long nowNanos) {
      shown.add(frameNumber);
    }

    @Override
    public void drawPanel(ViewerStatus status) {
      ImGui.setNextWindowPos(0, 0);
      ImGui.begin("status");
      ImGui.text("shown " + status.framesShown);
      ImGui.end();
    }

    @Override
    public void onFocusChanged(boolean focused) {}

    @Override
    public void onControl(Control control) {}

    @Override
    public void onScreenshot(Path file, Exception error) {
      assertNull(error);
      screenshots.add(file);
    }
  }
}
