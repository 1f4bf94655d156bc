package org.worldexplorer.renderer.gl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwjgl.system.MemoryUtil;

@Tag("gl")
class FrameTextureGlTest {

  private static final int WINDOW_W = 320;
  private static final int WINDOW_H = 240;
  private static final int FRAME_W = 64;
  private static final int FRAME_H = 32;
  private static GlWindow window;

  @BeforeAll
  static void openWindow() {
    DisplayRequirement.requireDisplay();
    window = GlWindow.open("FrameTextureGlTest", WINDOW_W, WINDOW_H, false);
  }

  @AfterAll
  static void closeWindow() {
    if (window != null) {
      window.close();
    }
  }

  /** Left half red, right half blue, with a green band over the top quarter of rows. */
  private static ByteBuffer testPattern() {
    ByteBuffer rgb = MemoryUtil.memAlloc(FRAME_W * FRAME_H * 3);
    for (int y = 0; y < FRAME_H; y++) {
      for (int x = 0; x < FRAME_W; x++) {
        boolean band = y < FRAME_H / 4;
        boolean left = x < FRAME_W / 2;
        rgb.put((byte) (band ? 0 : left ? 255 : 0));
        rgb.put((byte) (band ? 255 : 0));
        rgb.put((byte) (band ? 0 : left ? 0 : 255));
      }
    }
    return rgb.flip();
  }

  @ParameterizedTest(name = "pixel buffers: {0}")
  @ValueSource(booleans = {true, false})
  void drawsTheFrameLetterboxedWithItsColoursInPlace(boolean pixelBuffers) throws Exception {
    ByteBuffer pattern = testPattern();
    int[] size = new int[2];
    try (FrameTexture texture = new FrameTexture(FRAME_W, FRAME_H, pixelBuffers)) {
      BufferedImage shot = null;
      for (int frame = 0; frame < 3; frame++) { // several frames so both pixel buffers are used
        window.pollEvents();
        window.framebufferSize(size);
        GlWindow.clear(0f, 0f, 0f);
        texture.upload(pattern);
        texture.draw(size[0], size[1]);
        shot = Screenshot.capture(size[0], size[1]);
        window.swapBuffers();
      }
      Screenshot.writePng(shot, Path.of("target", "screenshots", "frame-texture-pbo-" + pixelBuffers + ".png"));
      assertEquals(WINDOW_W, size[0]);
      assertEquals(WINDOW_H, size[1]);
      // A 2:1 frame in a 4:3 window fills 320x160 with 40-pixel bars above and below.
      assertRgb(shot, 160, 10, 0x000000, "top bar");
      assertRgb(shot, 160, 229, 0x000000, "bottom bar");
      assertRgb(shot, 160, 50, 0x00ff00, "green band at the top of the frame");
      assertRgb(shot, 80, 150, 0xff0000, "red left half");
      assertRgb(shot, 240, 150, 0x0000ff, "blue right half");
    } finally {
      MemoryUtil.memFree(pattern);
    }
  }

  @ParameterizedTest(name = "pixel buffers: {0}")
  @ValueSource(booleans = {true, false})
  void rejectsAFrameThatIsTooSmallAndUseAfterClose(boolean pixelBuffers) {
    ByteBuffer small = MemoryUtil.memAlloc(10);
    try {
      FrameTexture texture = new FrameTexture(FRAME_W, FRAME_H, pixelBuffers);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> texture.upload(small));
      assertEquals("frame has 10 bytes, a 64x32 RGB frame needs 6144", e.getMessage());
      texture.close();
      assertThrows(IllegalStateException.class, () -> texture.draw(10, 10));
    } finally {
      MemoryUtil.memFree(small);
    }
  }

  private static void assertRgb(BufferedImage image, int x, int y, int expected, String what) {
    int actual = image.getRGB(x, y) & 0xffffff;
    assertEquals(String.format("%06x", expected), String.format("%06x", actual), what + " at " + x + "," + y);
  }
}
