package org.worldexplorer.runtime.memory;

/**
 * Chooses the past latents fed back as context when a chunk is generated (reconstituted context memory): the
 * recent latents, the always-included ones, and the past chunks whose cameras best overlap the view of the chunk
 * being generated.
 *
 * <p>A chunk of {@code chunkLength} latents is handled as sub-chunks of {@link MemoryConfig#chunkLatents()}
 * latents; the selection is the union of the sub-chunks' selections, without the latents of the chunk itself.
 * The poses of the chunk being generated must be in the history: at least the first pose of every sub-chunk.
 *
 * <p>Implementations allocate nothing per call once warmed up, keep scratch state, and are not thread-safe:
 * use one instance per generation thread.
 */
public interface MemorySelector {

  /** The sizes and view parameters this selector applies. */
  MemoryConfig config();

  /**
   * Writes the selected latent indices for the chunk {@code [chunkStart, chunkStart + chunkLength)} into
   * {@code out} in ascending order; every index is below {@code chunkStart}.
   *
   * @param out receives the indices; needs {@code min(chunkStart, config().maxSelected(chunkLength))} slots
   * @return the number of indices written
   */
  int select(CameraHistory history, int chunkStart, int chunkLength, int[] out);

  /**
   * Like {@link #select(CameraHistory, int, int, int[])}, and also marks in {@code retrieved[i]} whether
   * {@code out[i]} is there only because spatial retrieval chose it (not as a recent or always-included latent).
   *
   * @param retrieved receives one flag per written index; at least as long as {@code out} needs to be
   */
  int select(CameraHistory history, int chunkStart, int chunkLength, int[] out, boolean[] retrieved);
}
