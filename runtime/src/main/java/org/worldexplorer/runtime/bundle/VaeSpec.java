package org.worldexplorer.runtime.bundle;

/**
 * The causal VAE decoder's boundary facts.
 *
 * @param cacheSize {@code Z}, values in the decoder cache carried from chunk to chunk; a long, as the full-size
 *     decoders' caches pass 2^31 values (8B at 848x480: about 3e9)
 * @param scalingFactor informational: the graphs apply it themselves
 */
public record VaeSpec(long cacheSize, double scalingFactor) {

  public VaeSpec {
    Require.atLeast(cacheSize, 1, "vae.cache_size");
    Require.positive(scalingFactor, "vae.scaling_factor");
  }
}
