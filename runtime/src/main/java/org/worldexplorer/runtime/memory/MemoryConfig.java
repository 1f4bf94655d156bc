package org.worldexplorer.runtime.memory;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sizes and view parameters of reconstituted context memory: which past latents are fed back as context when a
 * chunk is generated. Values are in latents; angles are full fields of view in degrees.
 *
 * <p>Per sub-chunk starting at {@code c}: while {@code c < allHistoryBelow} all earlier latents are used.
 * Otherwise the context is the forced latents, the {@code temporalContext} most recent latents, and the best
 * scoring past chunks (candidate starts {@code firstCandidate, firstCandidate + candidateStride, ...} below
 * {@code c - temporalContext}) until {@code contextSize} latents are reached. A candidate chunk {@code h} is
 * scored by the view overlap of its cameras {@code h} and {@code h + chunkLatents / 2} with the cameras of the
 * chunk being generated; the overlap is measured inside a ball of {@code viewRadius} around each camera.
 *
 * @param contextSize latents of context per sub-chunk once history is long (20 for 8B, 16 for 5B)
 * @param temporalContext most recent latents always included (12)
 * @param chunkLatents latents per chunk: query cameras per sub-chunk and latents per retrieved chunk (4)
 * @param forcedLatents latents always included once history is long, ascending ({0,1,2,3} for 8B, none for 5B)
 * @param firstCandidate first candidate chunk start (4 for 8B, whose chunk 0 is forced; 0 for 5B)
 * @param candidateStride distance between candidate chunk starts (4)
 * @param allHistoryBelow sub-chunk starts below this use all history (21 for 8B: {@code c <= 20}; 16 for 5B)
 * @param horizontalFovDegrees full horizontal field of view of the overlap test (60)
 * @param verticalFovDegrees full vertical field of view of the overlap test (35)
 * @param viewRadius distance within which a camera sees a point, and radius of the sampled ball (8)
 */
public record MemoryConfig(
    int contextSize,
    int temporalContext,
    int chunkLatents,
    int[] forcedLatents,
    int firstCandidate,
    int candidateStride,
    int allHistoryBelow,
    double horizontalFovDegrees,
    double verticalFovDegrees,
    double viewRadius) {

  public MemoryConfig {
    if (chunkLatents < 1) {
      throw new IllegalArgumentException("chunkLatents must be >= 1, got " + chunkLatents);
    }
    if (temporalContext < 0 || temporalContext >= contextSize) {
      throw new IllegalArgumentException("temporalContext must be in [0, contextSize=" + contextSize + "), got "
          + temporalContext);
    }
    if (forcedLatents == null) {
      throw new IllegalArgumentException("forcedLatents must not be null; pass new int[0] for none");
    }
    forcedLatents = forcedLatents.clone();
    for (int i = 0; i < forcedLatents.length; i++) {
      boolean ascending = i == 0 ? forcedLatents[i] >= 0 : forcedLatents[i] > forcedLatents[i - 1];
      if (!ascending || forcedLatents[i] >= firstCandidate) {
        throw new IllegalArgumentException("forcedLatents must be distinct, ascending, >= 0 and below "
            + "firstCandidate=" + firstCandidate + ", got " + Arrays.toString(forcedLatents));
      }
    }
    int spatialSlots = contextSize - temporalContext - forcedLatents.length;
    if (spatialSlots <= 0 || spatialSlots % chunkLatents != 0) {
      throw new IllegalArgumentException("contextSize - temporalContext - forcedLatents.length must be a positive "
          + "multiple of chunkLatents=" + chunkLatents + ", got " + spatialSlots);
    }
    if (firstCandidate < 0) {
      throw new IllegalArgumentException("firstCandidate must be >= 0, got " + firstCandidate);
    }
    if (candidateStride < chunkLatents) {
      throw new IllegalArgumentException("candidateStride must be >= chunkLatents=" + chunkLatents
          + " so retrieved chunks never overlap, got " + candidateStride);
    }
    if (allHistoryBelow - temporalContext <= firstCandidate || allHistoryBelow > contextSize + 1) {
      throw new IllegalArgumentException("allHistoryBelow must leave at least one candidate chunk (> "
          + (firstCandidate + temporalContext) + ") and must not exceed contextSize + 1 = " + (contextSize + 1)
          + ", got " + allHistoryBelow);
    }
    checkFov("horizontalFovDegrees", horizontalFovDegrees);
    checkFov("verticalFovDegrees", verticalFovDegrees);
    if (!(viewRadius > 0) || Double.isInfinite(viewRadius)) {
      throw new IllegalArgumentException("viewRadius must be a positive finite distance, got " + viewRadius);
    }
  }

  /** The 8B model (HunyuanVideo-1.5 based): 20 latents, chunk 0 always included. */
  public static MemoryConfig upstream8b() {
    return new MemoryConfig(20, 12, 4, new int[] {0, 1, 2, 3}, 4, 4, 21, 60.0, 35.0, 8.0);
  }

  /** The 5B model (WAN based): 16 latents, nothing forced, chunk 0 is a candidate like any other. */
  public static MemoryConfig upstream5b() {
    return new MemoryConfig(16, 12, 4, new int[0], 0, 4, 16, 60.0, 35.0, 8.0);
  }

  /** Forced latents (a copy). */
  @Override
  public int[] forcedLatents() {
    return forcedLatents.clone();
  }

  /** Chunks retrieved by view overlap per sub-chunk. */
  public int retrievedChunks() {
    return (contextSize - temporalContext - forcedLatents.length) / chunkLatents;
  }

  /** Offset of a candidate's second scoring camera from its chunk start. */
  public int secondProbeOffset() {
    return chunkLatents / 2;
  }

  /** Upper bound of the selection size for a chunk of {@code chunkLength} latents. */
  public int maxSelected(int chunkLength) {
    return contextSize * Math.max(1, (chunkLength + chunkLatents - 1) / chunkLatents);
  }

  int forcedCount() {
    return forcedLatents.length;
  }

  int forcedLatent(int i) {
    return forcedLatents[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemoryConfig m && contextSize == m.contextSize && temporalContext == m.temporalContext
        && chunkLatents == m.chunkLatents && Arrays.equals(forcedLatents, m.forcedLatents)
        && firstCandidate == m.firstCandidate && candidateStride == m.candidateStride
        && allHistoryBelow == m.allHistoryBelow
        && Double.compare(horizontalFovDegrees, m.horizontalFovDegrees) == 0
        && Double.compare(verticalFovDegrees, m.verticalFovDegrees) == 0
        && Double.compare(viewRadius, m.viewRadius) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(contextSize, temporalContext, chunkLatents, Arrays.hashCode(forcedLatents), firstCandidate,
        candidateStride, allHistoryBelow, horizontalFovDegrees, verticalFovDegrees, viewRadius);
  }

  @Override
  public String toString() {
    return "MemoryConfig[contextSize=" + contextSize + ", temporalContext=" + temporalContext + ", chunkLatents="
        + chunkLatents + ", forcedLatents=" + Arrays.toString(forcedLatents) + ", firstCandidate=" + firstCandidate
        + ", candidateStride=" + candidateStride + ", allHistoryBelow=" + allHistoryBelow + ", fov="
        + horizontalFovDegrees + "x" + verticalFovDegrees + ", viewRadius=" + viewRadius + "]";
  }

  private static void checkFov(String name, double degrees) {
    if (!(degrees > 0 && degrees < 180)) {
      throw new IllegalArgumentException(name + " must be in (0, 180) degrees, got " + degrees);
    }
  }
}
