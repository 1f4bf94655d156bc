package org.worldexplorer.runtime.latent;

/**
 * Shape [C, h, w] of one latent: channels by latent-grid rows by columns, stored as float32.
 *
 * @param channels latent channels (32 for the 8B model)
 * @param height latent-grid rows (30 at 480p)
 * @param width latent-grid columns (52 at 832 pixels)
 */
public record LatentShape(int channels, int height, int width) {

  public LatentShape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "a latent shape needs positive channels, height and width, got [" + channels + ", " + height + ", "
              + width + "]");
    }
    if ((long) channels * height * width * Float.BYTES > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "latent [" + channels + ", " + height + ", " + width + "] is over 2 GiB; check the manifest's sizes");
    }
  }

  /** Floats in one latent. */
  public int floats() {
    return channels * height * width;
  }

  /** Bytes in one latent. */
  public int bytes() {
    return floats() * Float.BYTES;
  }

  /** Floats in one channel plane (h * w). */
  public int plane() {
    return height * width;
  }
}
