package org.worldexplorer.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SeededNoiseTest {

  private static final int C = 32;
  private static final int L = 4;
  private static final int H = 28;
  private static final int W = 28;
  private static final int N = C * L * H * W; // 100,352 samples

  @Test
  void samplesLookStandardNormal() {
    FloatBuffer noise = direct(N);
    new SeededNoise(123).fillChunk(noise, C, L, H, W, 0);
    double sum = 0;
    double sumSq = 0;
    double lag1 = 0;
    int insideOneSigma = 0;
    for (int i = 0; i < N; i++) {
      double v = noise.get(i);
      sum += v;
      sumSq += v * v;
      if (i > 0) {
        lag1 += v * noise.get(i - 1);
      }
      if (Math.abs(v) < 1) {
        insideOneSigma++;
      }
    }
    double mean = sum / N;
    double variance = sumSq / N - mean * mean;
    // five standard errors: mean ~ 1/sqrt(N), sample variance ~ sqrt(2/N), lag-1 product ~ 1/sqrt(N),
    // share inside one sigma ~ sqrt(p(1-p)/N) with p = 0.682689
    double k = 5;
    assertEquals(0, mean, k / Math.sqrt(N), "mean");
    assertEquals(1, variance, k * Math.sqrt(2.0 / N), "variance");
    assertEquals(0, lag1 / (N - 1), k / Math.sqrt(N), "neighbour correlation");
    double p = 0.682689;
    assertEquals(p, (double) insideOneSigma / N, k * Math.sqrt(p * (1 - p) / N), "share inside one sigma");
  }

  @Test
  void sameSeedGivesTheSameBits() {
    FloatBuffer a = direct(N);
    FloatBuffer b = direct(N);
    new SeededNoise(42).fillChunk(a, C, L, H, W, 17);
    new SeededNoise(42).fillChunk(b, C, L, H, W, 17);
    for (int i = 0; i < N; i++) {
      assertEquals(Float.floatToRawIntBits(a.get(i)), Float.floatToRawIntBits(b.get(i)), "element " + i);
    }
  }

  @Test
  void differentSeedOrLatentGivesDifferentNoise() {
    FloatBuffer base = direct(N);
    FloatBuffer otherSeed = direct(N);
    FloatBuffer otherLatent = direct(N);
    new SeededNoise(42).fillChunk(base, C, L, H, W, 0);
    new SeededNoise(43).fillChunk(otherSeed, C, L, H, W, 0);
    new SeededNoise(42).fillChunk(otherLatent, C, L, H, W, L);
    int sameAsSeed = 0;
    int sameAsLatent = 0;
    for (int i = 0; i < N; i++) {
      sameAsSeed += base.get(i) == otherSeed.get(i) ? 1 : 0;
      sameAsLatent += base.get(i) == otherLatent.get(i) ? 1 : 0;
    }
    // independent float32 normals coincide with probability ~1e-7 per pair
    assertTrue(sameAsSeed <= 2, sameAsSeed + " equal values across seeds");
    assertTrue(sameAsLatent <= 2, sameAsLatent + " equal values across latents");
  }

  @Test
  void chunkLayoutIsChannelMajorThenLatentAndIndependentOfChunking() {
    int c = 3;
    int l = 2;
    int h = 2;
    int w = 4;
    SeededNoise noise = new SeededNoise(-7);
    FloatBuffer chunk = direct(c * l * h * w + 5);
    chunk.position(5);
    noise.fillChunk(chunk, c, l, h, w, 40);
    assertEquals(5, chunk.position());
    FloatBuffer single = direct(c * h * w);
    for (int li = 0; li < l; li++) {
      noise.fillChunk(single, c, 1, h, w, 40 + li);
      for (int ci = 0; ci < c; ci++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int element = (ci * h + y) * w + x;
            float expected = noise.sample(40 + li, element);
            assertEquals(expected, chunk.get(5 + ((ci * l + li) * h + y) * w + x));
            assertEquals(expected, single.get(element));
          }
        }
      }
    }
  }

  @Test
  void fillingAllocatesNothing() {
    Assumptions.assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "allocation counters need a HotSpot JVM");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(threads.isThreadAllocatedMemoryEnabled(), "allocation counters are off");
    SeededNoise noise = new SeededNoise(1);
    FloatBuffer dest = direct(4 * 4 * 8 * 8);
    noise.fillChunk(dest, 4, 4, 8, 8, 0);
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 20; i++) {
      noise.fillChunk(dest, 4, 4, 8, 8, i);
    }
    long after = threads.getThreadAllocatedBytes(id);
    long overhead = threads.getThreadAllocatedBytes(id) - after; // asking for the count allocates too
    long allocated = after - before - overhead;
    assertTrue(allocated < 256, "20 fills allocated " + allocated + " bytes");
  }

  @Test
  void rejectsBadBuffersAndShapes() {
    SeededNoise noise = new SeededNoise(1);
    assertThrows(IllegalArgumentException.class, () -> noise.fillChunk(direct(10), 1, 1, 3, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> noise.fillChunk(FloatBuffer.allocate(12), 1, 1, 3, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> noise.fillChunk(direct(12), 0, 1, 3, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> noise.fillChunk(direct(12), 1, 1, 3, 4, -1));
    assertThrows(IllegalArgumentException.class, () -> noise.sample(-1, 0));
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
