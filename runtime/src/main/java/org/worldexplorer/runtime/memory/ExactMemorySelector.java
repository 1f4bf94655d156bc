package org.worldexplorer.runtime.memory;

import org.joml.Matrix4f;

/**
 * Memory selection that scores every candidate chunk, as upstream does: the distance of candidate h is the mean
 * over query cameras q of ((1 - sim(q, h)) + (1 - sim(q, h + chunkLatents/2))) / 2, with sim the view overlap of
 * {@link ViewOverlapCounter}. Since every sim shares the denominator (the points the query camera sees), ranking
 * by ascending distance is ranking by descending total overlap count; integer totals make ties exact, and ties go
 * to the earlier chunk.
 *
 * <p>Cost grows linearly with history (every candidate is visited); {@link IndexedMemorySelector} is the one
 * for long sessions. Allocates nothing per call; not thread-safe.
 */
public final class ExactMemorySelector extends ChunkedMemorySelector {

  private final ViewOverlapCounter counter;
  private final BestChunks best;
  private final Matrix4f scratch = new Matrix4f();
  private final CameraFrame probe = new CameraFrame();
  private final CameraFrame[] queries;
  // World centre (0..2) and forward (3..5) of the two probe cameras of the current candidate.
  private final double[] probes = new double[12];

  /** A selector over the shipped Monte-Carlo points. */
  public ExactMemorySelector(MemoryConfig config) {
    this(config, MonteCarloPoints.shared());
  }

  public ExactMemorySelector(MemoryConfig config, MonteCarloPoints points) {
    super(config);
    this.counter = new ViewOverlapCounter(points, config);
    this.best = new BestChunks(config.retrievedChunks());
    this.queries = new CameraFrame[config.chunkLatents()];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = new CameraFrame();
    }
  }

  @Override
  int rankCandidates(CameraHistory history, int subStart, int queryEnd, int[] out) {
    int queryCount = queryEnd - subStart;
    for (int q = 0; q < queryCount; q++) {
      queries[q].set(history.worldToCamera(subStart + q, scratch));
    }
    best.clear();
    int end = candidateEnd(subStart);
    for (int h = config.firstCandidate(); h < end; h += config.candidateStride()) {
      loadProbe(history, h, 0);
      loadProbe(history, h + config.secondProbeOffset(), 6);
      long total = 0;
      for (int q = 0; q < queryCount; q++) {
        total += overlap(queries[q], 0) + overlap(queries[q], 6);
      }
      best.offer(h, total);
    }
    for (int i = 0; i < best.size(); i++) {
      out[i] = best.start(i);
    }
    return best.size();
  }

  private void loadProbe(CameraHistory history, int latent, int at) {
    probe.set(history.worldToCamera(latent, scratch));
    probe.worldCentre(probes, at);
    probe.worldForward(probes, at + 3);
  }

  private int overlap(CameraFrame query, int at) {
    query.express(probes[at], probes[at + 1], probes[at + 2], probes[at + 3], probes[at + 4], probes[at + 5]);
    return counter.count(query.centreX, query.centreY, query.centreZ, query.forwardX, query.forwardY,
        query.forwardZ);
  }
}
