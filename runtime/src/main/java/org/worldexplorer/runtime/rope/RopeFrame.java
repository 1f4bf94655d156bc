package org.worldexplorer.runtime.rope;

import java.nio.LongBuffer;

/**
 * Temporally reframed RoPE positions for one chunk. The n selected context latents (in ascending original order)
 * take temporal positions 0..n-1 whatever gaps lie between their original indices, and the chunk being denoised
 * takes n..n+L-1. Chunk 0 has no context, so it takes 0..L-1. The largest position therefore stays below the
 * context size plus the chunk size (23 for the 8B model) however long the video grows.
 *
 * <p>Stateless; the outputs are caller-owned, preallocated arrays or buffers, and nothing is allocated.
 */
public final class RopeFrame {

  private RopeFrame() {}

  /** Number of temporal RoPE rows a chunk uses: {@code contextCount + chunkLatents}. */
  public static int temporalSize(int contextCount, int chunkLatents) {
    requireCounts(contextCount, chunkLatents);
    return contextCount + chunkLatents;
  }

  /**
   * Writes the positions into {@code contextPositions[0..count)} and {@code chunkPositions[0..chunkLatents)}.
   *
   * @param selected selected context latents in {@code selected[0..count)}: absolute indices, strictly
   *     ascending, all before {@code chunkStart}
   * @param chunkStart absolute index of the chunk's first latent
   * @return the temporal size {@code count + chunkLatents}
   */
  public static int write(
      int[] selected, int count, int chunkStart, int chunkLatents, long[] contextPositions, long[] chunkPositions) {
    validate(selected, count, chunkStart, chunkLatents);
    requireLength(contextPositions.length, count, "context positions");
    requireLength(chunkPositions.length, chunkLatents, "chunk positions");
    for (int i = 0; i < count; i++) {
      contextPositions[i] = i;
    }
    for (int i = 0; i < chunkLatents; i++) {
      chunkPositions[i] = count + i;
    }
    return count + chunkLatents;
  }

  /**
   * Same as {@link #write(int[], int, int, int, long[], long[])}, into int64 tensor buffers from their positions
   * (absolute puts; positions do not move).
   */
  public static int write(
      int[] selected, int count, int chunkStart, int chunkLatents, LongBuffer contextPositions,
      LongBuffer chunkPositions) {
    validate(selected, count, chunkStart, chunkLatents);
    requireLength(contextPositions.remaining(), count, "context positions");
    requireLength(chunkPositions.remaining(), chunkLatents, "chunk positions");
    int contextBase = contextPositions.position();
    for (int i = 0; i < count; i++) {
      contextPositions.put(contextBase + i, i);
    }
    int chunkBase = chunkPositions.position();
    for (int i = 0; i < chunkLatents; i++) {
      chunkPositions.put(chunkBase + i, count + i);
    }
    return count + chunkLatents;
  }

  private static void validate(int[] selected, int count, int chunkStart, int chunkLatents) {
    requireCounts(count, chunkLatents);
    if (count > selected.length) {
      throw new IllegalArgumentException(
          "context count " + count + " exceeds the selection array's length " + selected.length);
    }
    if (chunkStart < 0) {
      throw new IllegalArgumentException("chunk start must be >= 0, got " + chunkStart);
    }
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int index = selected[i];
      if (index <= previous) {
        throw new IllegalArgumentException(
            "selected latents must be distinct and ascending, but selected[" + i + "] = " + index + " follows "
                + previous);
      }
      if (index >= chunkStart) {
        throw new IllegalArgumentException(
            "selected latent " + index + " is not before the chunk starting at " + chunkStart
                + "; drop the current chunk's latents from the context");
      }
      previous = index;
    }
  }

  private static void requireCounts(int contextCount, int chunkLatents) {
    if (contextCount < 0) {
      throw new IllegalArgumentException("context count must be >= 0, got " + contextCount);
    }
    if (chunkLatents < 1) {
      throw new IllegalArgumentException("a chunk has at least 1 latent, got " + chunkLatents);
    }
  }

  private static void requireLength(int available, int needed, String what) {
    if (available < needed) {
      throw new IllegalArgumentException(what + " has room for " + available + " values but " + needed + " are needed");
    }
  }
}
