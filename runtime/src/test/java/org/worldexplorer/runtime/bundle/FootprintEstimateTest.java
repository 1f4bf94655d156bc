package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FootprintEstimateTest {

  /** The bundle format's example footprint, on a bundle with 20 context latents and 4 per chunk. */
  static final Footprint EXAMPLE = new Footprint("bf16", 17_100_000_000L, 884_736, 1590, 1985, 6_000_000_000L,
      2_500_000_000L);

  private final FootprintEstimate estimate = new FootprintEstimate(EXAMPLE, 20, 4);

  @Test
  void partsAddUpToTheFormatsFormula() {
    // Keys and values: 884,736 bytes × (1590 × (20 + 4) + 1985) = 884,736 × 40,145 tokens.
    assertEquals(884_736L * 1590 * 24, estimate.latentKvBytes(20));
    assertEquals(884_736L * 1985, estimate.textKvBytes());
    long total = 17_100_000_000L + 884_736L * 40_145 + 6_000_000_000L;
    assertEquals(total, estimate.totalBytes());
    assertEquals(EXAMPLE.weightBytes() + estimate.latentKvBytes(20) + estimate.textKvBytes()
        + EXAMPLE.activationBytes(), total);
    assertEquals(17_100_000_000L + 884_736L * (1590 * 4 + 1985) + 6_000_000_000L, estimate.totalBytes(0));
  }

  @Test
  void theDecoderCountsWhenItIsTheLargerWorkingMemory() {
    Footprint decoderHeavy = new Footprint("fp16", 1000, 10, 2, 3, 50, 70);
    // 1000 + 10 × (2 × (0 + 4) + 3) + max(50, 70) = 1000 + 110 + 70.
    assertEquals(1180, new FootprintEstimate(decoderHeavy, 0, 4).totalBytes());
  }

  @Test
  void contextStepsGoByChunksUpToTheManifestsContext() {
    assertEquals(List.of(0, 4, 8, 12, 16, 20), estimate.contextSteps());
    assertEquals(List.of(0, 4, 6), new FootprintEstimate(EXAMPLE, 6, 4).contextSteps());
    assertEquals(List.of(0), new FootprintEstimate(EXAMPLE, 0, 4).contextSteps());
  }

  @Test
  void largestContextThatFits() {
    assertEquals(OptionalInt.of(20), estimate.largestContextThatFits(estimate.totalBytes()));
    assertEquals(OptionalInt.of(19), estimate.largestContextThatFits(estimate.totalBytes() - 1));
    assertEquals(OptionalInt.of(0), estimate.largestContextThatFits(estimate.totalBytes(0)));
    assertEquals(OptionalInt.empty(), estimate.largestContextThatFits(estimate.totalBytes(0) - 1));
  }

  @Test
  void linesNameEveryPart() {
    List<String> lines = new FootprintEstimate(EXAMPLE, 6, 4).lines();
    // 17.1e9 + 884,736 × 17,885 + 6e9 = 38,923,503,360 bytes.
    assertEquals("footprint (bf16): 36.3 GiB at 6 context latents = weights 15.9 GiB + latent K/V 13.1 GiB"
        + " (6 + 4 latents x 1590 tokens) + text K/V 1.6 GiB (1985 tokens) + working memory 5.6 GiB (the larger of"
        + " activations 5.6 GiB and decoder 2.3 GiB)", lines.get(0));
    assertEquals("by context latents: 0 -> 28.4 GiB, 4 -> 33.6 GiB, 6 -> 36.3 GiB", lines.get(1));
  }

  @Test
  void aContextNeedsZeroOrMoreLatents() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EXAMPLE.estimateBytes(-1, 4));
    assertEquals("the estimate needs a context of 0 or more latents and a chunk of 1 or more, got -1 and 4",
        e.getMessage());
  }
}
