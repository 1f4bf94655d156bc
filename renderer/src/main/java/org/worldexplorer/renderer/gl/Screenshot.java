package org.worldexplorer.renderer.gl;

import static org.lwjgl.opengl.GL33C.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.lwjgl.system.MemoryUtil;

/** Reads the back buffer (call before the swap) into an image and writes PNG files. GL thread only. */
public final class Screenshot {

  private Screenshot() {}

  /** Reads the current framebuffer's pixels, top row first. */
  public static BufferedImage capture(int width, int height) {
    ByteBuffer pixels = MemoryUtil.memAlloc(width * height * 4);
    try {
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < height; y++) {
        int row = (height - 1 - y) * width * 4; // GL rows start at the bottom
        for (int x = 0; x < width; x++) {
          int i = row + x * 4;
          int rgb = (pixels.get(i) & 0xff) << 16 | (pixels.get(i + 1) & 0xff) << 8 | (pixels.get(i + 2) & 0xff);
          image.setRGB(x, y, rgb);
        }
      }
      return image;
    } finally {
      MemoryUtil.memFree(pixels);
    }
  }

  /** Writes a PNG, creating the folder; the message of a failure names the file. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
  }
}
