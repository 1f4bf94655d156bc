package org.worldexplorer.runtime.memory;

import java.util.Arrays;
import org.joml.Matrix4f;

/**
 * Memory selection with the same result as {@link ExactMemorySelector} at a cost set by how many past cameras
 * stand near the chunk being generated, not by the length of the history.
 *
 * <p>The two scoring cameras of every candidate chunk are kept in a spatial hash ({@link ProbeIndex}) as the
 * history grows. A camera can share a view with a query camera only if it stands within the view radius of some
 * point the query camera sees, so only cells around that region are visited; {@link ViewOverlapCounter} then
 * rejects cameras facing away before counting. Every candidate not visited has zero overlap, and the ranking
 * fills remaining slots with the earliest such candidates, exactly as the stable sort over all candidates does.
 *
 * <p>The history must be append-only; a different history object, or a shorter one, rebuilds the index. Storage
 * grows by doubling past {@code initialCapacity} latents; otherwise nothing is allocated per call. Not
 * thread-safe.
 */
public final class IndexedMemorySelector extends ChunkedMemorySelector {

  /** Latents preallocated by default: 15 minutes at 24 latents per second. */
  public static final int DEFAULT_CAPACITY = 21_600;

  private final ViewOverlapCounter counter;
  private final BestChunks best;
  private final ProbeIndex index;
  private final Matrix4f scratch = new Matrix4f();
  private final CameraFrame frame = new CameraFrame();
  private final double[] pose = new double[6];
  private final double searchRadius;

  private CameraHistory indexedHistory;
  private int indexedLatents;
  // Total overlap per candidate ordinal (h - firstCandidate) / candidateStride; non-zero entries listed in touched.
  private long[] scores;
  private int[] touched;
  private int touchedCount;
  // Cameras visited in the spatial hash since construction: the work measure that must not grow with history.
  long visitedCameras;

  /** A selector over the shipped Monte-Carlo points with {@link #DEFAULT_CAPACITY}. */
  public IndexedMemorySelector(MemoryConfig config) {
    this(config, MonteCarloPoints.shared(), DEFAULT_CAPACITY);
  }

  public IndexedMemorySelector(MemoryConfig config, MonteCarloPoints points, int initialCapacity) {
    super(config);
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be >= 1 latent, got " + initialCapacity);
    }
    counter = new ViewOverlapCounter(points, config);
    best = new BestChunks(config.retrievedChunks());
    index = new ProbeIndex(config.viewRadius(), 2 * initialCapacity / config.candidateStride() + 2);
    searchRadius = counter.boundRadius() + config.viewRadius();
    scores = new long[initialCapacity / config.candidateStride() + 1];
    touched = new int[scores.length];
  }

  @Override
  void prepare(CameraHistory history) {
    if (history != indexedHistory || history.size() < indexedLatents) {
      indexedHistory = history;
      indexedLatents = 0;
      index.clear();
    }
    int first = config.firstCandidate();
    int stride = config.candidateStride();
    int secondProbe = config.secondProbeOffset();
    for (int latent = indexedLatents; latent < history.size(); latent++) {
      int offset = latent - first;
      int phase = offset < 0 ? -1 : offset % stride;
      if (phase == 0 || phase == secondProbe) {
        frame.set(history.worldToCamera(latent, scratch));
        frame.worldCentre(pose, 0);
        frame.worldForward(pose, 3);
        index.add(latent, pose, 0);
      }
    }
    indexedLatents = history.size();
    int candidates = history.size() / stride + 1;
    if (scores.length < candidates) {
      scores = Arrays.copyOf(scores, Math.max(candidates, 2 * scores.length));
      touched = new int[scores.length];
    }
  }

  @Override
  int rankCandidates(CameraHistory history, int subStart, int queryEnd, int[] out) {
    int end = candidateEnd(subStart);
    for (int q = subStart; q < queryEnd; q++) {
      frame.set(history.worldToCamera(q, scratch));
      scoreNear(end);
    }
    best.clear();
    for (int i = 0; i < touchedCount; i++) {
      int ordinal = touched[i];
      best.offer(config.firstCandidate() + ordinal * config.candidateStride(), scores[ordinal]);
    }
    // Candidates never visited overlap nothing; the earliest of them fill what is left.
    for (int h = config.firstCandidate(), ordinal = 0; h < end && !best.full(); h += config.candidateStride(),
        ordinal++) {
      if (scores[ordinal] == 0) {
        best.offer(h, 0);
      }
    }
    for (int i = 0; i < touchedCount; i++) {
      scores[touched[i]] = 0;
    }
    touchedCount = 0;
    for (int i = 0; i < best.size(); i++) {
      out[i] = best.start(i);
    }
    return best.size();
  }

  /** Adds the overlap of every indexed camera near the current query camera (in {@link #frame}). */
  private void scoreNear(int candidateEnd) {
    frame.toWorld(counter.boundX(), counter.boundY(), counter.boundZ(), pose, 0);
    int x0 = index.cell(pose[0] - searchRadius), x1 = index.cell(pose[0] + searchRadius);
    int y0 = index.cell(pose[1] - searchRadius), y1 = index.cell(pose[1] + searchRadius);
    int z0 = index.cell(pose[2] - searchRadius), z1 = index.cell(pose[2] + searchRadius);
    int first = config.firstCandidate();
    int stride = config.candidateStride();
    for (int x = x0; x <= x1; x++) {
      for (int y = y0; y <= y1; y++) {
        for (int z = z0; z <= z1; z++) {
          for (int id = index.head(x, y, z); id >= 0; id = index.next(id)) {
            visitedCameras++;
            int latent = index.latent(id);
            int ordinal = (latent - first) / stride;
            if (first + ordinal * stride >= candidateEnd) {
              continue;
            }
            frame.express(index.centre(id, 0), index.centre(id, 1), index.centre(id, 2), index.forward(id, 0),
                index.forward(id, 1), index.forward(id, 2));
            int overlap = counter.count(frame.centreX, frame.centreY, frame.centreZ, frame.forwardX,
                frame.forwardY, frame.forwardZ);
            if (overlap > 0) {
              if (scores[ordinal] == 0) {
                touched[touchedCount++] = ordinal;
              }
              scores[ordinal] += overlap;
            }
          }
        }
      }
    }
  }
}
