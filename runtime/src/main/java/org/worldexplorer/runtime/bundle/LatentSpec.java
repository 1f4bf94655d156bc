package org.worldexplorer.runtime.bundle;

/**
 * The latent grid: latent tensors are {@code [1, channels, T, height, width]}.
 *
 * @param channels {@code C}
 * @param height {@code h}
 * @param width {@code w}
 * @param latentsPerChunk {@code L}, latents generated per DiT call
 * @param temporalCompression frames per latent after the first (always 4)
 * @param spatialCompression pixels per latent cell along each axis
 */
public record LatentSpec(int channels, int height, int width, int latentsPerChunk, int temporalCompression,
    int spatialCompression) {

  /** The only temporal compression the decoder contract knows: latent 0 gives 1 frame, later latents 4. */
  public static final int TEMPORAL_COMPRESSION = 4;

  public LatentSpec {
    Require.atLeast(channels, 1, "latent.channels");
    Require.atLeast(height, 1, "latent.height");
    Require.atLeast(width, 1, "latent.width");
    Require.atLeast(latentsPerChunk, 1, "latent.latents_per_chunk");
    if (temporalCompression != TEMPORAL_COMPRESSION) {
      throw new IllegalArgumentException("latent.temporal_compression must be " + TEMPORAL_COMPRESSION
          + " (latent 0 decodes to 1 frame, every later latent to 4), got " + temporalCompression);
    }
    Require.atLeast(spatialCompression, 1, "latent.spatial_compression");
  }

  /** Frames from the first chunk: {@code 1 + 4 (L - 1)}. */
  public int firstChunkFrames() {
    return 1 + temporalCompression * (latentsPerChunk - 1);
  }

  /** Frames from every later chunk: {@code 4 L}. */
  public int laterChunkFrames() {
    return temporalCompression * latentsPerChunk;
  }

  /** Floats in one latent: {@code C h w}. */
  public int latentElements() {
    return channels * height * width;
  }
}
