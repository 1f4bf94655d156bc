package org.worldexplorer.runtime.bundle;

import java.util.List;

/**
 * Sizes of the reconstituted context memory.
 *
 * @param contextLatents most latents the DiT sees as context ({@code n_ctx} ranges over 0 … this)
 * @param temporalLatents how many of them are the most recent latents
 * @param alwaysIncluded latent indices that are always in the context once they exist, ascending
 * @param candidateStride spacing of the history latents scored for retrieval
 * @param fovDegrees field of view of the view-overlap test: horizontal, vertical
 * @param radius radius of the ball the overlap test samples points in
 */
public record MemorySpec(int contextLatents, int temporalLatents, List<Integer> alwaysIncluded, int candidateStride,
    List<Double> fovDegrees, double radius) {

  public MemorySpec {
    Require.atLeast(contextLatents, 1, "memory.context_latents");
    Require.atLeast(temporalLatents, 0, "memory.temporal_latents");
    if (temporalLatents > contextLatents) {
      throw new IllegalArgumentException("memory.temporal_latents (" + temporalLatents
          + ") must not exceed memory.context_latents (" + contextLatents + ")");
    }
    alwaysIncluded = Require.list(alwaysIncluded, "memory.always_included");
    for (int i = 0; i < alwaysIncluded.size(); i++) {
      int index = alwaysIncluded.get(i);
      if (index < 0 || (i > 0 && index <= alwaysIncluded.get(i - 1))) {
        throw new IllegalArgumentException("memory.always_included must hold distinct latent indices (0 or more)"
            + " in ascending order, got " + alwaysIncluded);
      }
    }
    if (alwaysIncluded.size() + temporalLatents > contextLatents) {
      throw new IllegalArgumentException("memory.always_included (" + alwaysIncluded.size()
          + " latents) plus memory.temporal_latents (" + temporalLatents
          + ") must fit in memory.context_latents (" + contextLatents + ")");
    }
    Require.atLeast(candidateStride, 1, "memory.candidate_stride");
    fovDegrees = Require.list(fovDegrees, "memory.fov_degrees");
    if (fovDegrees.size() != 2) {
      throw new IllegalArgumentException("memory.fov_degrees must be [horizontal, vertical], got " + fovDegrees);
    }
    for (double fov : fovDegrees) {
      if (!(fov > 0 && fov < 180)) {
        throw new IllegalArgumentException("memory.fov_degrees must lie between 0 and 180 degrees, got "
            + fovDegrees);
      }
    }
    Require.positive(radius, "memory.radius");
  }
}
