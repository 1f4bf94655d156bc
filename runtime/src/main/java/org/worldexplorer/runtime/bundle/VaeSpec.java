package org.worldexplorer.runtime.bundle;

/**
 * The causal VAE decoder's boundary facts.
 *
 * @param cacheSize {@code Z}, floats in the decoder cache carried from chunk to chunk
 * @param scalingFactor informational: the graphs apply it themselves
 */
public record VaeSpec(int cacheSize, double scalingFactor) {

  public VaeSpec {
    Require.atLeast(cacheSize, 1, "vae.cache_size");
    Require.positive(scalingFactor, "vae.scaling_factor");
  }
}
