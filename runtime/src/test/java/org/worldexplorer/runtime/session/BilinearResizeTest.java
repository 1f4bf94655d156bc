package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * The start image's resize for the image encoder, against torch 1.13's
 * {@code interpolate(mode="bilinear", align_corners=False, antialias=True)} (PIL's bilinear) on the same
 * 3 × 4 × 5 image, value {@code ((7c + 5y + 3x) mod 11) / 5 − 1}.
 */
class BilinearResizeTest {

  private static FloatBuffer image() {
    FloatBuffer image = FloatBuffer.allocate(3 * 4 * 5);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          image.put(((7 * c + 5 * y + 3 * x) % 11) / 5f - 1f);
        }
      }
    }
    return image;
  }

  private static float[] resize(int width, int height) {
    FloatBuffer out = FloatBuffer.allocate(3 * width * height);
    new BilinearResize(5, 4, width, height).resize(image(), out, 3);
    return out.array();
  }

  @Test
  void shrinkingAveragesEverySourcePixelAsAntialiasedBilinear() {
    assertArrayEquals(new float[] {-0.1632653f, -0.1333333f, -0.1183673f, 0.1959184f, 0.1460317f, -0.2530612f,
        0.1142857f, 0.0793651f, 0.2040816f, -0.2f, 0.0095238f, 0.0244898f,
        -0.1469388f, -0.0222222f, -0.0571429f, 0.122449f, -0.0571429f, -0.0571429f}, resize(3, 2), 1e-6f);
    assertArrayEquals(new float[] {0.0083333f, -0.0958333f, 0f, 0.1f, -0.0125f, -0.0791667f}, resize(2, 1), 1e-6f);
  }

  @Test
  void enlargingInterpolatesBetweenPixelCentres() {
    float[] out = resize(8, 6);
    float[] firstTwoRows = new float[16];
    System.arraycopy(out, 0, firstTwoRows, 0, 16);
    assertArrayEquals(new float[] {-1.0f, -0.7375f, -0.3625f, 0.0125f, 0.3875f, 0.7625f, -0.1f, -0.8f,
        -0.5f, -0.2375f, 0.06875f, -0.24375f, -0.2125f, 0.1625f, -0.08125f, -0.3f}, firstTwoRows, 1e-6f);
    float[] lastRowOfLastChannel = new float[8];
    System.arraycopy(out, 3 * 48 - 8, lastRowOfLastChannel, 0, 8);
    assertArrayEquals(new float[] {0.4f, 0.6625f, 0.9f, -0.1f, -0.4125f, -0.0375f, 0.3375f, 0.6f},
        lastRowOfLastChannel, 1e-6f);
  }

  @Test
  void theSameSizeIsACopy() {
    assertArrayEquals(image().array(), resize(5, 4), 1e-7f);
  }
}
