package org.worldexplorer.runtime.memory;

import java.util.Arrays;
import org.joml.Matrix4f;

/**
 * Memory selection that picks what {@link ExactMemorySelector} picks in all but rare near-ties, at a cost set by
 * how many past cameras stand near the chunk being generated, not by the length of the history.
 *
 * <p>The two scoring cameras of every candidate chunk are kept in a spatial hash ({@link ProbeIndex}) as the
 * history grows. A camera can share a view with a query camera only if it stands within the view radius of some
 * point the query camera sees, so only cameras within that reach are visited. Ranking a sub-chunk's candidates
 * then narrows in four stages, each costlier per candidate and given fewer of them:
 * <ol>
 *   <li>every visited camera: a {@link OverlapEstimator} with 8 point groups against the middle query camera
 *       (consecutive query cameras barely differ); the best {@value #COARSE_LIST} candidates go on;</li>
 *   <li>those: an estimate with 128 groups against the first and last query cameras; the best
 *       {@code shortlist} go on;</li>
 *   <li>those: the exact overlap with the first and last query cameras; the best
 *       {@code retrievedChunks() + 1} go on;</li>
 *   <li>those: the exact total over every query camera, as {@link ExactMemorySelector} scores it, which alone
 *       decides the ranking.</li>
 * </ol>
 * Every candidate not visited has zero overlap, and the earliest such candidates fill remaining slots, as the
 * stable sort over all candidates does. A chunk differs from the exact selection only when an estimate pushes
 * the exact winner out of a stage; the agreement tests measure how rarely.
 *
 * <p>The history must be append-only; a different history object, or a shorter one, rebuilds the index. Storage
 * grows by doubling past {@code initialCapacity} latents; otherwise nothing is allocated per call. Not
 * thread-safe.
 */
public final class IndexedMemorySelector extends ChunkedMemorySelector {

  /** Latents preallocated by default: 15 minutes at 24 latents per second. */
  public static final int DEFAULT_CAPACITY = 21_600;

  /** Candidates given a partial exact score per sub-chunk by default (stage 3). */
  public static final int DEFAULT_SHORTLIST = 4;

  /** Candidates kept after the first estimate (stage 1). */
  static final int COARSE_LIST = 32;

  // Tree depths of the two estimates' point groups: 2^3 = 8 groups of about 325 query points, and 2^7 = 128 of
  // about 20.
  private static final int COARSE_DEPTH = 3;
  private static final int FINE_DEPTH = 7;

  private final ViewOverlapCounter counter;
  private final OverlapEstimator coarse;
  private final OverlapEstimator fine;
  private final BestChunks coarseList;
  private final BestChunks shortlist;
  private final BestChunks finalists;
  private final BestChunks best;
  private final ProbeIndex index;
  private final Matrix4f scratch = new Matrix4f();
  private final CameraFrame frame = new CameraFrame();
  private final CameraFrame[] queries;
  private final double[] pose = new double[6];
  // World centre (0..2) and forward (3..5) of the two probe cameras of the candidate being scored.
  private final double[] probes = new double[12];
  private final double searchRadius;
  // Half-angle of a cone around a camera's direction that holds every direction it sees.
  private final double cosViewCone;
  private final double sinViewCone;

  private CameraHistory indexedHistory;
  private int indexedLatents;
  // First estimate per candidate ordinal (h - firstCandidate) / candidateStride; non-zero ones listed in touched.
  private long[] scores;
  private int[] touched;
  private int touchedCount;
  // Cameras visited in the spatial hash since construction: the work measure that must not grow with history.
  long visitedCameras;

  /** A selector over the shipped Monte-Carlo points with {@link #DEFAULT_CAPACITY} and {@link #DEFAULT_SHORTLIST}. */
  public IndexedMemorySelector(MemoryConfig config) {
    this(config, MonteCarloPoints.shared(), DEFAULT_CAPACITY, DEFAULT_SHORTLIST);
  }

  /**
   * @param initialCapacity latents preallocated; more are handled by doubling storage
   * @param shortlist candidates scored exactly (against the first and last query cameras) per sub-chunk; at
   *     least {@code config.retrievedChunks() + 1}. More makes disagreement with {@link ExactMemorySelector}
   *     rarer and costs 4 exact counts each
   */
  public IndexedMemorySelector(MemoryConfig config, MonteCarloPoints points, int initialCapacity, int shortlist) {
    super(config);
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be >= 1 latent, got " + initialCapacity);
    }
    if (shortlist <= config.retrievedChunks() || shortlist > COARSE_LIST) {
      throw new IllegalArgumentException("shortlist must be in (retrievedChunks=" + config.retrievedChunks()
          + ", " + COARSE_LIST + "], got " + shortlist);
    }
    counter = new ViewOverlapCounter(points, config);
    coarse = new OverlapEstimator(counter, config, COARSE_DEPTH);
    fine = new OverlapEstimator(counter, config, FINE_DEPTH);
    coarseList = new BestChunks(COARSE_LIST);
    this.shortlist = new BestChunks(shortlist);
    finalists = new BestChunks(config.retrievedChunks() + 1);
    best = new BestChunks(config.retrievedChunks());
    // Cells of half the view radius keep the visited block close to the sphere of reach.
    index = new ProbeIndex(config.viewRadius() / 2, 2 * initialCapacity / config.candidateStride() + 2);
    searchRadius = counter.boundRadius() + config.viewRadius();
    // A seen direction (azimuth and elevation within the half-angles of the view's) makes an angle t with the
    // camera's direction where cos t >= cos(halfV) + cos(halfH) - 1; one more degree covers rounding.
    double cosCone = Math.cos(Math.toRadians(config.verticalFovDegrees() / 2))
        + Math.cos(Math.toRadians(config.horizontalFovDegrees() / 2)) - 1;
    double viewCone = cosCone > 0 ? Math.acos(cosCone) + Math.toRadians(1) : Math.PI;
    cosViewCone = Math.cos(viewCone);
    sinViewCone = Math.sin(viewCone);
    scores = new long[initialCapacity / config.candidateStride() + 1];
    touched = new int[scores.length];
    queries = new CameraFrame[config.chunkLatents()];
    for (int i = 0; i < queries.length; i++) {
      queries[i] = new CameraFrame();
    }
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
    int queryCount = queryEnd - subStart;
    for (int q = 0; q < queryCount; q++) {
      queries[q].set(history.worldToCamera(subStart + q, scratch));
    }
    CameraFrame first = queries[0], last = queries[queryCount - 1];
    estimateNear(queries[(queryCount - 1) / 2], end);
    coarseList.clear();
    for (int i = 0; i < touchedCount; i++) {
      int ordinal = touched[i];
      coarseList.offer(config.firstCandidate() + ordinal * config.candidateStride(), scores[ordinal]);
    }
    shortlist.clear();
    for (int i = 0; i < coarseList.size(); i++) {
      int h = coarseList.start(i);
      loadProbes(history, h);
      shortlist.offer(h, overlap(fine, first, last));
    }
    finalists.clear();
    for (int i = 0; i < shortlist.size(); i++) {
      int h = shortlist.start(i);
      loadProbes(history, h);
      finalists.offer(h, overlap(null, first, last));
    }
    best.clear();
    for (int i = 0; i < finalists.size(); i++) {
      int h = finalists.start(i);
      loadProbes(history, h);
      long total = finalists.score(i);
      for (int q = 1; q < queryCount - 1; q++) {
        total += exactOverlap(queries[q], 0) + exactOverlap(queries[q], 6);
      }
      best.offer(h, total);
    }
    // Candidates never visited overlap nothing; the earliest of them beat any later candidate scored 0.
    int zeros = 0;
    for (int h = config.firstCandidate(), ordinal = 0; h < end && zeros < config.retrievedChunks();
        h += config.candidateStride(), ordinal++) {
      if (scores[ordinal] == 0) {
        best.offer(h, 0);
        zeros++;
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

  /** Adds the estimated overlap of every indexed camera near {@code query} to its candidate's score. */
  private void estimateNear(CameraFrame query, int candidateEnd) {
    query.toWorld(counter.boundX(), counter.boundY(), counter.boundZ(), pose, 0);
    int x0 = index.cell(pose[0] - searchRadius), x1 = index.cell(pose[0] + searchRadius);
    int y0 = index.cell(pose[1] - searchRadius), y1 = index.cell(pose[1] + searchRadius);
    int z0 = index.cell(pose[2] - searchRadius), z1 = index.cell(pose[2] + searchRadius);
    int first = config.firstCandidate();
    int stride = config.candidateStride();
    double bx = pose[0], by = pose[1], bz = pose[2];
    double reachSquared = searchRadius * searchRadius;
    for (int x = x0; x <= x1; x++) {
      double gapX = gap(bx, x);
      for (int y = y0; y <= y1; y++) {
        double gapY = gap(by, y);
        for (int z = z0; z <= z1; z++) {
          double gapZ = gap(bz, z);
          if (gapX * gapX + gapY * gapY + gapZ * gapZ >= reachSquared) {
            continue; // the cell lies wholly beyond reach of the query's points
          }
          for (int id = index.head(x, y, z); id >= 0; id = index.next(id)) {
            visitedCameras++;
            double dx = index.centre(id, 0) - bx, dy = index.centre(id, 1) - by, dz = index.centre(id, 2) - bz;
            double distanceSquared = dx * dx + dy * dy + dz * dz;
            if (distanceSquared >= reachSquared || facesAway(id, dx, dy, dz, distanceSquared)) {
              continue;
            }
            int latent = index.latent(id);
            int ordinal = (latent - first) / stride;
            if (first + ordinal * stride >= candidateEnd) {
              continue;
            }
            query.express(index.centre(id, 0), index.centre(id, 1), index.centre(id, 2), index.forward(id, 0),
                index.forward(id, 1), index.forward(id, 2));
            int overlap = coarse.estimate(query.centreX, query.centreY, query.centreZ, query.forwardX,
                query.forwardY, query.forwardZ);
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

  /**
   * Whether camera {@code id}, at offset (dx, dy, dz) from the centre of the query points' bounding sphere,
   * looks so far away from that sphere that its view cone cannot reach it: the angle between its direction and
   * the sphere's centre exceeds the cone's half-angle plus the sphere's angular radius.
   */
  private boolean facesAway(int id, double dx, double dy, double dz, double distanceSquared) {
    double boundRadius = counter.boundRadius();
    if (distanceSquared <= boundRadius * boundRadius) {
      return false;
    }
    double towardSphere = -(index.forward(id, 0) * dx + index.forward(id, 1) * dy + index.forward(id, 2) * dz);
    return towardSphere < cosViewCone * Math.sqrt(distanceSquared - boundRadius * boundRadius)
        - sinViewCone * boundRadius;
  }

  /** Distance along one axis from {@code coordinate} to cell {@code cell} of the index (0 inside it). */
  private double gap(double coordinate, int cell) {
    double low = cell * index.cellSize();
    return Math.max(0, Math.max(low - coordinate, coordinate - low - index.cellSize()));
  }

  private void loadProbes(CameraHistory history, int h) {
    loadProbe(history, h, 0);
    loadProbe(history, h + config.secondProbeOffset(), 6);
  }

  private void loadProbe(CameraHistory history, int latent, int at) {
    frame.set(history.worldToCamera(latent, scratch));
    frame.worldCentre(probes, at);
    frame.worldForward(probes, at + 3);
  }

  /** Overlap of the loaded probes with the first and last query cameras: estimated, or exact when null. */
  private long overlap(OverlapEstimator estimator, CameraFrame first, CameraFrame last) {
    long sum = overlap(estimator, first, 0) + overlap(estimator, first, 6);
    if (last != first) {
      sum += overlap(estimator, last, 0) + overlap(estimator, last, 6);
    }
    return sum;
  }

  private int overlap(OverlapEstimator estimator, CameraFrame query, int at) {
    if (estimator == null) {
      return exactOverlap(query, at);
    }
    query.express(probes[at], probes[at + 1], probes[at + 2], probes[at + 3], probes[at + 4], probes[at + 5]);
    return estimator.estimate(query.centreX, query.centreY, query.centreZ, query.forwardX, query.forwardY,
        query.forwardZ);
  }

  private int exactOverlap(CameraFrame query, int at) {
    query.express(probes[at], probes[at + 1], probes[at + 2], probes[at + 3], probes[at + 4], probes[at + 5]);
    return counter.count(query.centreX, query.centreY, query.centreZ, query.forwardX, query.forwardY,
        query.forwardZ);
  }
}
