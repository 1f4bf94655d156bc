package org.worldexplorer.runtime.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A bundle's accelerator memory from its manifest's {@code footprint}, at its own context size and at smaller
 * ones (bundle format: "footprint"): weights, keys and values of the latents and of the text, and the larger of
 * the DiT's and the decoder's working memory.
 *
 * @param footprint the manifest's footprint
 * @param contextLatents {@code memory.context_latents}, the context the bundle plays with
 * @param latentsPerChunk {@code L}
 */
public record FootprintEstimate(Footprint footprint, int contextLatents, int latentsPerChunk) {

  public FootprintEstimate {
    Require.present(footprint, "footprint");
    Require.atLeast(contextLatents, 0, "contextLatents");
    Require.atLeast(latentsPerChunk, 1, "latentsPerChunk");
  }

  /** The estimate of a manifest, or null when it has no footprint. */
  public static FootprintEstimate of(Manifest manifest) {
    return manifest.footprint() == null ? null : new FootprintEstimate(manifest.footprint(),
        manifest.memory().contextLatents(), manifest.latent().latentsPerChunk());
  }

  /** Bytes at the manifest's context. */
  public long totalBytes() {
    return totalBytes(contextLatents);
  }

  /** Bytes with {@code n} context latents. */
  public long totalBytes(int n) {
    return footprint.estimateBytes(n, latentsPerChunk);
  }

  /** Keys and values of {@code n} context latents and one chunk. */
  public long latentKvBytes(int n) {
    return Math.multiplyExact(footprint.kvBytesPerToken(),
        Math.multiplyExact(footprint.tokensPerLatent(), (long) n + latentsPerChunk));
  }

  /** Keys and values of the text and vision tokens. */
  public long textKvBytes() {
    return Math.multiplyExact(footprint.kvBytesPerToken(), footprint.textTokens());
  }

  /** The largest context, 0 … {@code contextLatents}, whose estimate fits in {@code freeBytes}; empty if none. */
  public OptionalInt largestContextThatFits(long freeBytes) {
    for (int n = contextLatents; n >= 0; n--) {
      if (totalBytes(n) <= freeBytes) {
        return OptionalInt.of(n);
      }
    }
    return OptionalInt.empty();
  }

  /** The contexts doctor lists: 0, L, 2L, … and the manifest's own. */
  public List<Integer> contextSteps() {
    List<Integer> steps = new ArrayList<>();
    for (int n = 0; n < contextLatents; n += latentsPerChunk) {
      steps.add(n);
    }
    steps.add(contextLatents);
    return steps;
  }

  /** Lines for a report: the parts at the manifest's context, then the total at each of {@link #contextSteps()}. */
  public List<String> lines() {
    String parts = "footprint (" + footprint.dtype() + "): " + ByteCount.format(totalBytes()) + " at "
        + contextLatents + " context latents = weights " + ByteCount.format(footprint.weightBytes())
        + " + latent K/V " + ByteCount.format(latentKvBytes(contextLatents)) + " (" + contextLatents + " + "
        + latentsPerChunk + " latents x " + footprint.tokensPerLatent() + " tokens) + text K/V "
        + ByteCount.format(textKvBytes()) + " (" + footprint.textTokens() + " tokens) + working memory "
        + ByteCount.format(footprint.workingBytes()) + " (the larger of activations "
        + ByteCount.format(footprint.activationBytes()) + " and decoder " + ByteCount.format(footprint.decoderBytes())
        + ")";
    StringBuilder byContext = new StringBuilder("by context latents:");
    List<Integer> steps = contextSteps();
    for (int i = 0; i < steps.size(); i++) {
      byContext.append(i == 0 ? " " : ", ").append(steps.get(i)).append(" -> ")
          .append(ByteCount.format(totalBytes(steps.get(i))));
    }
    return List.of(parts, byContext.toString());
  }
}
