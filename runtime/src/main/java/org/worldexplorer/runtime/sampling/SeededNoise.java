package org.worldexplorer.runtime.sampling;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Counter-based standard normal noise keyed by (seed, absolute latent index, element), so any latent's noise can
 * be produced on its own, in any order, on any machine, and by the Python that writes golden files.
 *
 * <p>The generator (also written down in {@code docs/bundle-format.md}; {@code models/tools/noise_reference.py}
 * is its Python twin). All integer arithmetic is on unsigned 64-bit words modulo 2^64:
 *
 * <pre>
 * MIX(z):  z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27; z *= 0x94D049BB133111EB; z ^= z >>> 31
 * word(seed, latent, element, k):                                   k in {0, 1}
 *   a = MIX(seed + 0x9E3779B97F4A7C15)
 *   b = MIX(a ^ (latent * 0xD1B54A32D192ED03))
 *   return MIX(b + (2 * element + k + 1) * 0x9E3779B97F4A7C15)
 * u1 = ((word(.., 0) >>> 11) + 1) * 2^-53                           in (0, 1]
 * u2 = (word(.., 1) >>> 11) * 2^-53                                 in [0, 1)
 * n  = float32( sqrt(-2 ln u1) * cos(2 pi u2) )                     Box-Muller in IEEE double
 * </pre>
 *
 * <p>{@code element = (c * h + y) * w + x} inside one latent of shape [C, h, w]. The double-precision functions
 * are {@link StrictMath}'s, so the bits are the same on every JVM. Immutable and thread-safe; filling allocates
 * nothing.
 */
public final class SeededNoise {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long LATENT_MULTIPLIER = 0xD1B54A32D192ED03L;
  private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
  private static final double TWO_PI = 2.0 * Math.PI;

  private final long seed;
  private final long seedKey;

  /** A generator for {@code seed}; every 64-bit value is a distinct seed. */
  public SeededNoise(long seed) {
    this.seed = seed;
    this.seedKey = mix(seed + GOLDEN_GAMMA);
  }

  /** The seed this generator was made with. */
  public long seed() {
    return seed;
  }

  /** The noise value of one element of one latent. */
  public float sample(long latent, long element) {
    requireNonNegative(latent, "latent index");
    requireNonNegative(element, "element");
    return gaussian(latentKey(latent), element);
  }

  /**
   * Fills a chunk tensor [1, C, L, h, w] (channel-major, then latent) for the latents {@code firstLatent ..
   * firstLatent + L - 1}: the value at index {@code ((c * L + l) * h + y) * w + x} from {@code dest}'s position
   * is {@code sample(firstLatent + l, (c * h + y) * w + x)}. The position does not move.
   *
   * @param dest a direct, native-order buffer with at least {@code C * L * h * w} floats remaining
   */
  public void fillChunk(FloatBuffer dest, int channels, int latents, int height, int width, long firstLatent) {
    requirePositive(channels, "channels");
    requirePositive(latents, "latents");
    requirePositive(height, "height");
    requirePositive(width, "width");
    requireNonNegative(firstLatent, "first latent index");
    if (!dest.isDirect() || dest.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(
          "noise goes into a direct native-order buffer (ByteBuffer.allocateDirect(n).order(nativeOrder()))");
    }
    int plane = height * width;
    long total = (long) channels * latents * plane;
    if (dest.remaining() < total) {
      throw new IllegalArgumentException(
          "noise buffer has " + dest.remaining() + " floats remaining but the chunk [1, " + channels + ", "
              + latents + ", " + height + ", " + width + "] needs " + total);
    }
    int base = dest.position();
    for (int l = 0; l < latents; l++) {
      long key = latentKey(firstLatent + l);
      for (int c = 0; c < channels; c++) {
        int out = base + (c * latents + l) * plane;
        long element = (long) c * plane;
        for (int p = 0; p < plane; p++) {
          dest.put(out + p, gaussian(key, element + p));
        }
      }
    }
  }

  private long latentKey(long latent) {
    return mix(seedKey ^ (latent * LATENT_MULTIPLIER));
  }

  private static float gaussian(long latentKey, long element) {
    long counter = 2 * element + 1;
    long w0 = mix(latentKey + counter * GOLDEN_GAMMA);
    long w1 = mix(latentKey + (counter + 1) * GOLDEN_GAMMA);
    double u1 = ((w0 >>> 11) + 1) * TWO_POW_MINUS_53;
    double u2 = (w1 >>> 11) * TWO_POW_MINUS_53;
    return (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2));
  }

  /** The SplitMix64 finaliser: a bijection on 64-bit words with full avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void requirePositive(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + value);
    }
  }

  private static void requireNonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
  }
}
