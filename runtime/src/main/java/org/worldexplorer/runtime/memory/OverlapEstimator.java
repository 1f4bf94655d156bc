package org.worldexplorer.runtime.memory;

/**
 * A cheap estimate of {@link ViewOverlapCounter#count}: the query points are split into compact groups (the
 * bounding-sphere tree cut at a fixed depth), and each group counts whole when its most central point passes the
 * history camera's view test. Costs a few dozen point tests instead of thousands; good enough to shortlist the
 * few candidates that are then counted exactly.
 *
 * <p>The tests mirror the exact ones without angles: the azimuth window is two vertical planes, the elevation
 * window two sine comparisons. Not thread-safe: the current camera's view lives in the instance.
 */
final class OverlapEstimator {

  private final double radius;
  private final double radiusSquared;
  private final double cosHalfH;
  private final double sinHalfH;
  private final double cosHalfV;
  private final double sinHalfV;
  private final double boundX;
  private final double boundY;
  private final double boundZ;
  private final double boundRadius;

  // One representative point per group and the number of query points it stands for.
  private final double[] sampleX;
  private final double[] sampleY;
  private final double[] sampleZ;
  private final int[] weight;

  /**
   * @param groupDepth depth at which the counter's tree is cut: at most {@code 2^groupDepth} groups
   */
  OverlapEstimator(ViewOverlapCounter counter, MemoryConfig config, int groupDepth) {
    if (groupDepth < 0 || groupDepth > 12) {
      throw new IllegalArgumentException("groupDepth must be in [0, 12], got " + groupDepth);
    }
    radius = config.viewRadius();
    radiusSquared = radius * radius;
    double halfH = Math.toRadians(config.horizontalFovDegrees() / 2.0);
    double halfV = Math.toRadians(config.verticalFovDegrees() / 2.0);
    cosHalfH = Math.cos(halfH);
    sinHalfH = Math.sin(halfH);
    cosHalfV = Math.cos(halfV);
    sinHalfV = Math.sin(halfV);
    boundX = counter.boundX();
    boundY = counter.boundY();
    boundZ = counter.boundZ();
    boundRadius = counter.boundRadius();
    int[] groups = new int[1 << groupDepth];
    int groupCount = collect(counter, 0, 0, groupDepth, groups, 0);
    sampleX = new double[groupCount];
    sampleY = new double[groupCount];
    sampleZ = new double[groupCount];
    weight = new int[groupCount];
    for (int g = 0; g < groupCount; g++) {
      int node = groups[g];
      int start = counter.nodeStart(node), end = counter.nodeEnd(node);
      int central = mostCentral(counter, start, end);
      sampleX[g] = counter.point(central, 0);
      sampleY[g] = counter.point(central, 1);
      sampleZ[g] = counter.point(central, 2);
      weight[g] = end - start;
    }
  }

  /** Number of groups (point tests per estimate). */
  int groups() {
    return weight.length;
  }

  /** Estimated number of query points the history camera sees (centre and viewing direction in the query frame). */
  int estimate(double cx, double cy, double cz, double fx, double fy, double fz) {
    double wx = boundX - cx, wy = boundY - cy, wz = boundZ - cz;
    if (wx * wx + wy * wy + wz * wz >= (radius + boundRadius) * (radius + boundRadius)) {
      return 0;
    }
    double horizontalLength = Math.sqrt(fx * fx + fz * fz);
    if (horizontalLength == 0) {
      return 0; // looking straight up or down: outside every elevation window that matters here
    }
    // Directions are rows of rotation matrices: unit length up to float rounding, which an estimate can ignore.
    double inverseHorizontal = 1 / horizontalLength;
    double sinYaw = fx * inverseHorizontal, cosYaw = fz * inverseHorizontal;
    double sinPitch = fy, cosPitch = horizontalLength;
    // Inside the azimuth window: positive side of both wedge planes.
    double leftX = cosYaw * cosHalfH + sinYaw * sinHalfH, leftZ = cosYaw * sinHalfH - sinYaw * cosHalfH;
    double rightX = -(cosYaw * cosHalfH - sinYaw * sinHalfH), rightZ = sinYaw * cosHalfH + cosYaw * sinHalfH;
    if (leftX * wx + leftZ * wz < -boundRadius || rightX * wx + rightZ * wz < -boundRadius) {
      return 0;
    }
    // Elevation e within (pitch - halfV, pitch + halfV): sin(e - low) > 0 and sin(high - e) > 0.
    double sinLow = sinPitch * cosHalfV - cosPitch * sinHalfV, cosLow = cosPitch * cosHalfV + sinPitch * sinHalfV;
    double sinHigh = sinPitch * cosHalfV + cosPitch * sinHalfV, cosHigh = cosPitch * cosHalfV - sinPitch * sinHalfV;
    // Anything past the coarse tests may overlap a little: at least 1 keeps it ahead of cameras that cannot.
    int sum = 0;
    for (int g = 0; g < weight.length; g++) {
      double vx = sampleX[g] - cx, vy = sampleY[g] - cy, vz = sampleZ[g] - cz;
      double horizontalSquared = vx * vx + vz * vz;
      double horizontal = Math.sqrt(horizontalSquared);
      // Non-short-circuit tests: the outcome is unpredictable, so a branch per test would mostly mispredict.
      boolean seen = (horizontalSquared + vy * vy < radiusSquared) & (leftX * vx + leftZ * vz > 0)
          & (rightX * vx + rightZ * vz > 0) & (vy * cosLow - horizontal * sinLow > 0)
          & (horizontal * sinHigh - vy * cosHigh > 0);
      sum += seen ? weight[g] : 0;
    }
    return Math.max(1, sum);
  }

  /** Lists the nodes at {@code depth} (or leaves above it) below {@code node} into {@code out}. */
  private static int collect(ViewOverlapCounter counter, int node, int level, int depth, int[] out, int n) {
    if (level == depth || counter.isLeaf(node)) {
      out[n] = node;
      return n + 1;
    }
    n = collect(counter, node + 1, level + 1, depth, out, n);
    return collect(counter, counter.nodeSkip(node + 1), level + 1, depth, out, n);
  }

  private static int mostCentral(ViewOverlapCounter counter, int start, int end) {
    double mx = 0, my = 0, mz = 0;
    for (int i = start; i < end; i++) {
      mx += counter.point(i, 0);
      my += counter.point(i, 1);
      mz += counter.point(i, 2);
    }
    int count = end - start;
    mx /= count;
    my /= count;
    mz /= count;
    int best = start;
    double bestDistance = Double.MAX_VALUE;
    for (int i = start; i < end; i++) {
      double dx = counter.point(i, 0) - mx, dy = counter.point(i, 1) - my, dz = counter.point(i, 2) - mz;
      double distance = dx * dx + dy * dy + dz * dz;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  }
}
