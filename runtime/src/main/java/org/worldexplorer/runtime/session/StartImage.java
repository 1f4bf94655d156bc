package org.worldexplorer.runtime.session;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A start image prepared for {@code vae_encoder}: scaled so it covers the video size, centre-cropped, and written
 * as planar RGB in [−1, 1] ({@code [1, 3, H, W]}).
 */
public final class StartImage {

  private StartImage() {}

  /**
   * Reads a PNG or JPEG file.
   *
   * @throws IOException with the path and what to do when the file is missing or not an image
   */
  public static BufferedImage read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "start image not found; pass --image with a PNG or JPEG");
    }
    BufferedImage image;
    try (InputStream in = Files.newInputStream(file)) {
      image = ImageIO.read(in);
    }
    if (image == null) {
      throw new IOException(file + " is not an image this program can read; use a PNG or JPEG");
    }
    if (image.getWidth() < 16 || image.getHeight() < 16) {
      throw new IOException(file + " is " + image.getWidth() + "x" + image.getHeight()
          + " pixels; a start image needs at least 16x16");
    }
    return image;
  }

  /** Scales to cover {@code width x height}, crops the centre, and writes [−1, 1] planar RGB into {@code dest}. */
  public static void prepare(BufferedImage image, int width, int height, FloatBuffer dest) {
    double scale = Math.max((double) width / image.getWidth(), (double) height / image.getHeight());
    int scaledW = (int) Math.ceil(image.getWidth() * scale);
    int scaledH = (int) Math.ceil(image.getHeight() * scale);
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, (width - scaledW) / 2, (height - scaledH) / 2, scaledW, scaledH, null);
    } finally {
      g.dispose();
    }
    int plane = width * height;
    int base = dest.position();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = target.getRGB(x, y);
        int i = base + y * width + x;
        dest.put(i, ((rgb >> 16) & 0xff) / 127.5f - 1f);
        dest.put(i + plane, ((rgb >> 8) & 0xff) / 127.5f - 1f);
        dest.put(i + 2 * plane, (rgb & 0xff) / 127.5f - 1f);
      }
    }
  }
}
