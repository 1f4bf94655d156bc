package org.worldexplorer.runtime.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts the Monte-Carlo points that a query camera and a history camera both see: the numerator of the
 * view-overlap similarity. The query camera is always the identity (history cameras are expressed in its frame),
 * so the points it sees are fixed: that subset is found once, and the similarity is
 * {@code count(...) / querySize()}.
 *
 * <p>A point p is seen by a camera at centre C with viewing angles (yaw0, pitch0) when, for v = p - C,
 * |wrap(atan2(v.x, v.z) - yaw0)| &lt; hfov/2, |wrap(atan2(v.y, |v.xz|) - pitch0)| &lt; vfov/2 and, for the history
 * camera only, |v| &lt; radius. The counts are exact: the subset sits in a bounding-sphere tree whose branches are
 * skipped when no point in them can pass and counted whole when every point passes, with margins far above
 * rounding; the azimuth window is the wedge between two vertical planes and the elevation window is bounded per
 * sphere by its angular radius. Remaining points are tested with the equivalent cosine form of the angle tests,
 * falling back to the atan2 form within a rounding margin of the boundary.
 *
 * <p>Not thread-safe: the current history camera's view lives in the instance.
 */
final class ViewOverlapCounter {

  private static final int LEAF_SIZE = 16;
  // A straddling node this small is cheaper to test point by point than to split further.
  private static final int DIRECT_POINTS = 48;
  private static final double BOUNDARY_MARGIN = 1e-12;
  // Margin of the whole-sphere decisions, far above the rounding of the quantities they compare.
  private static final double SPHERE_MARGIN = 1e-9;
  private static final int OUTSIDE = 0;
  private static final int PARTIAL = 1;
  private static final int INSIDE = 2;

  private final double radius;
  // Slightly above radius^2 so the squared pre-test never rejects what sqrt(length^2) < radius accepts.
  private final double radiusSquared;
  // Below radius^2 by far more than rounding: squared lengths under it pass sqrt(length^2) < radius for certain.
  private final double innerRadiusSquared;
  private final double halfH;
  private final double halfV;
  private final double cosHalfH;
  private final double cosHalfV;
  private final double sinHalfH;
  private final double sinHalfV;

  // The current history camera: centre, wedge plane normals (horizontal, unit), and sines and cosines of the
  // elevation window limits low = pitch0 - halfV and high = pitch0 + halfV.
  private double cx, cy, cz;
  private double leftX, leftZ, rightX, rightZ;
  private double sinLow, cosLow, sinHigh, cosHigh;

  private final double[] px;
  private final double[] py;
  private final double[] pz;

  // Bounding-sphere tree in preorder; skip[i] is the node after i's subtree, leaves hold points [start, end).
  private final double[] nodeX;
  private final double[] nodeY;
  private final double[] nodeZ;
  private final double[] nodeR;
  private final int[] nodeStart;
  private final int[] nodeEnd;
  private final int[] nodeSkip;
  private final boolean[] nodeLeaf;

  ViewOverlapCounter(MonteCarloPoints points, MemoryConfig config) {
    radius = config.viewRadius();
    radiusSquared = radius * radius * (1 + 1e-12);
    innerRadiusSquared = radius * radius * (1 - 1e-9);
    halfH = config.horizontalFovDegrees() / 2.0;
    halfV = config.verticalFovDegrees() / 2.0;
    cosHalfH = Math.cos(Math.toRadians(halfH));
    cosHalfV = Math.cos(Math.toRadians(halfV));
    // halfH < 90 (MemoryConfig), so the azimuth window is a wedge: the intersection of two half-spaces.
    sinHalfH = Math.sin(Math.toRadians(halfH));
    sinHalfV = Math.sin(Math.toRadians(halfV));

    double scale = radius / MonteCarloPoints.RADIUS;
    List<double[]> seen = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      double x = points.coordinate(i, 0) * scale;
      double y = points.coordinate(i, 1) * scale;
      double z = points.coordinate(i, 2) * scale;
      if (insideByAngles(x, y, z, 0.0, 0.0, halfH, halfV)) {
        seen.add(new double[] {x, y, z});
      }
    }
    if (seen.isEmpty()) {
      throw new IllegalStateException("no Monte-Carlo point lies in the query view " + config);
    }
    TreeBuilder tree = new TreeBuilder(seen);
    px = tree.coordinates(0);
    py = tree.coordinates(1);
    pz = tree.coordinates(2);
    int n = tree.nodes.size();
    nodeX = new double[n];
    nodeY = new double[n];
    nodeZ = new double[n];
    nodeR = new double[n];
    nodeStart = new int[n];
    nodeEnd = new int[n];
    nodeSkip = new int[n];
    nodeLeaf = new boolean[n];
    for (int i = 0; i < n; i++) {
      double[] node = tree.nodes.get(i);
      nodeX[i] = node[0];
      nodeY[i] = node[1];
      nodeZ[i] = node[2];
      nodeR[i] = node[3];
      nodeStart[i] = (int) node[4];
      nodeEnd[i] = (int) node[5];
      nodeSkip[i] = (int) node[6];
      nodeLeaf[i] = node[7] != 0;
    }
  }

  /** Number of points the query camera sees: the similarity denominator. */
  int querySize() {
    return px.length;
  }

  /** Centre of a sphere (in the query frame) holding every point the query camera sees. */
  double boundX() {
    return nodeX[0];
  }

  double boundY() {
    return nodeY[0];
  }

  double boundZ() {
    return nodeZ[0];
  }

  /** Radius of that sphere. */
  double boundRadius() {
    return nodeR[0];
  }

  /** Number of nodes of the bounding-sphere tree, in preorder; node 0 holds every query point. */
  int nodeCount() {
    return nodeX.length;
  }

  /** First query point of a node's subtree (points are stored in tree order). */
  int nodeStart(int node) {
    return nodeStart[node];
  }

  /** End (exclusive) of a node's points. */
  int nodeEnd(int node) {
    return nodeEnd[node];
  }

  /** The node after a node's subtree; for an inner node, its second child is {@code nodeSkip(node + 1)}. */
  int nodeSkip(int node) {
    return nodeSkip[node];
  }

  boolean isLeaf(int node) {
    return nodeLeaf[node];
  }

  /** Coordinate {@code axis} of query point {@code i} (tree order), in the query frame. */
  double point(int i, int axis) {
    return axis == 0 ? px[i] : axis == 1 ? py[i] : pz[i];
  }

  /** Number of query points the history camera sees (centre and viewing direction in the query frame). */
  int count(double cx, double cy, double cz, double fx, double fy, double fz) {
    double wx = nodeX[0] - cx, wy = nodeY[0] - cy, wz = nodeZ[0] - cz;
    if (Math.sqrt(wx * wx + wy * wy + wz * wz) - nodeR[0] >= radius) {
      return 0; // the common case, decided before anything else
    }
    // Sines and cosines of the viewing angles straight from the direction; the angles themselves are needed only
    // for the rare point within rounding distance of the view boundary.
    double horizontalLength = Math.sqrt(fx * fx + fz * fz);
    double length = Math.sqrt(fx * fx + fy * fy + fz * fz);
    double sinYaw = horizontalLength > 0 ? fx / horizontalLength : Math.sin(Math.atan2(fx, fz));
    double cosYaw = horizontalLength > 0 ? fz / horizontalLength : Math.cos(Math.atan2(fx, fz));
    double sinPitch = fy / length;
    double cosPitch = horizontalLength / length;
    setView(cx, cy, cz, sinYaw, cosYaw, sinPitch, cosPitch);
    int count = 0;
    int node = 0;
    int nodes = nodeX.length;
    while (node < nodes) {
      int place = classify(node);
      if (place == OUTSIDE) {
        node = nodeSkip[node];
      } else if (place == INSIDE) {
        count += nodeEnd[node] - nodeStart[node];
        node = nodeSkip[node];
      } else if (nodeLeaf[node] || nodeEnd[node] - nodeStart[node] <= DIRECT_POINTS) {
        count += countLeaf(nodeStart[node], nodeEnd[node], fx, fy, fz, sinYaw, cosYaw, sinPitch, cosPitch);
        node = nodeSkip[node];
      } else {
        node++;
      }
    }
    return count;
  }

  private void setView(double cx, double cy, double cz, double sinYaw, double cosYaw, double sinPitch,
      double cosPitch) {
    this.cx = cx;
    this.cy = cy;
    this.cz = cz;
    // Azimuth within (yaw0 - halfH, yaw0 + halfH) is sin(az - left) > 0 and sin(right - az) > 0: two planes.
    double sinLeft = sinYaw * cosHalfH - cosYaw * sinHalfH, cosLeft = cosYaw * cosHalfH + sinYaw * sinHalfH;
    double sinRight = sinYaw * cosHalfH + cosYaw * sinHalfH, cosRight = cosYaw * cosHalfH - sinYaw * sinHalfH;
    leftX = cosLeft;
    leftZ = -sinLeft;
    rightX = -cosRight;
    rightZ = sinRight;
    sinLow = sinPitch * cosHalfV - cosPitch * sinHalfV;
    cosLow = cosPitch * cosHalfV + sinPitch * sinHalfV;
    sinHigh = sinPitch * cosHalfV + cosPitch * sinHalfV;
    cosHigh = cosPitch * cosHalfV - sinPitch * sinHalfV;
  }

  /** Whether all, none or some of a node's sphere passes the current history camera's tests. */
  private int classify(int node) {
    double wx = nodeX[node] - cx, wy = nodeY[node] - cy, wz = nodeZ[node] - cz;
    double distance = Math.sqrt(wx * wx + wy * wy + wz * wz);
    double r = nodeR[node];
    if (distance - r >= radius) {
      return OUTSIDE;
    }
    double left = leftX * wx + leftZ * wz, right = rightX * wx + rightZ * wz;
    if (left < -r - SPHERE_MARGIN || right < -r - SPHERE_MARGIN) {
      return OUTSIDE;
    }
    if (distance <= r + SPHERE_MARGIN) {
      return PARTIAL;
    }
    // The sphere's elevations lie within e +- b (sin b = r / distance); limits low and high are compared
    // through sines of angle sums, each valid only while that sum stays within [-90, 90] (cosine >= 0).
    double sinB = r / distance, cosB = Math.sqrt(1 - sinB * sinB);
    double sinE = wy / distance;
    double lowCosB = cosLow * cosB, lowSinB = sinLow * sinB;
    double highCosB = cosHigh * cosB, highSinB = sinHigh * sinB;
    // Entirely below: e <= low - b.
    if (lowCosB + lowSinB >= 0 && sinE < sinLow * cosB - cosLow * sinB - SPHERE_MARGIN) {
      return OUTSIDE;
    }
    // Entirely above: e >= high + b.
    if (highCosB - highSinB >= 0 && sinE > sinHigh * cosB + cosHigh * sinB + SPHERE_MARGIN) {
      return OUTSIDE;
    }
    if (distance + r >= radius * (1 - SPHERE_MARGIN) || left <= r + SPHERE_MARGIN || right <= r + SPHERE_MARGIN) {
      return PARTIAL;
    }
    // Entirely inside the elevation window: e > low + b (always when low < -90) and e < high - b (always
    // when high > 90).
    boolean aboveLow = (cosLow < 0 && sinLow < 0)
        || (lowCosB - lowSinB > 0 && sinE > sinLow * cosB + cosLow * sinB + SPHERE_MARGIN);
    boolean belowHigh = (cosHigh < 0 && sinHigh > 0)
        || (highCosB + highSinB > 0 && sinE < sinHigh * cosB - cosHigh * sinB - SPHERE_MARGIN);
    return aboveLow && belowHigh ? INSIDE : PARTIAL;
  }

  /**
   * Counts the points in {@code [start, end)} that {@link #sees} accepts. Points clear of every boundary by more
   * than {@link #SPHERE_MARGIN} are decided with the wedge planes, squared distance and elevation sines of the
   * current view (one square root, no branch: a point's outcome is unpredictable); {@code sees} agrees with
   * those decisions, since its margins are then far beyond {@link #BOUNDARY_MARGIN}. The rare remaining point
   * goes through {@code sees} itself.
   */
  private int countLeaf(int start, int end, double fx, double fy, double fz, double sinYaw, double cosYaw,
      double sinPitch, double cosPitch) {
    int count = 0;
    for (int i = start; i < end; i++) {
      double vx = px[i] - cx, vy = py[i] - cy, vz = pz[i] - cz;
      double lengthSquared = vx * vx + vy * vy + vz * vz;
      double horizontal = Math.sqrt(vx * vx + vz * vz);
      double left = leftX * vx + leftZ * vz, right = rightX * vx + rightZ * vz;
      // length * sin(elevation - low) and length * sin(high - elevation).
      double aboveLow = vy * cosLow - horizontal * sinLow, belowHigh = horizontal * sinHigh - vy * cosHigh;
      boolean in = (lengthSquared < innerRadiusSquared) & (left > SPHERE_MARGIN) & (right > SPHERE_MARGIN)
          & (aboveLow > SPHERE_MARGIN) & (belowHigh > SPHERE_MARGIN);
      boolean out = !(lengthSquared < radiusSquared) | (left < -SPHERE_MARGIN) | (right < -SPHERE_MARGIN)
          | (aboveLow < -SPHERE_MARGIN) | (belowHigh < -SPHERE_MARGIN);
      count += in ? 1 : 0;
      if (!(in | out) && sees(vx, vy, vz, fx, fy, fz, sinYaw, cosYaw, sinPitch, cosPitch)) {
        count++;
      }
    }
    return count;
  }

  private boolean sees(double vx, double vy, double vz, double fx, double fy, double fz, double sinYaw,
      double cosYaw, double sinPitch, double cosPitch) {
    double lengthSquared = vx * vx + vy * vy + vz * vz;
    if (!(lengthSquared < radiusSquared)) {
      return false;
    }
    double length = Math.sqrt(lengthSquared);
    if (!(length < radius)) {
      return false;
    }
    double horizontal = Math.sqrt(vx * vx + vz * vz);
    // cos(azimuth - yaw0) > cos(halfH) is |wrap(azimuth - yaw0)| < halfH; same for elevation.
    double yawMargin = vx * sinYaw + vz * cosYaw - cosHalfH * horizontal;
    double pitchMargin = horizontal * cosPitch + vy * sinPitch - cosHalfV * length;
    if (yawMargin < -BOUNDARY_MARGIN || pitchMargin < -BOUNDARY_MARGIN) {
      return false;
    }
    if (yawMargin > BOUNDARY_MARGIN && pitchMargin > BOUNDARY_MARGIN) {
      return true;
    }
    double yawDeg = Math.toDegrees(Math.atan2(fx, fz));
    double pitchDeg = Math.toDegrees(Math.atan2(fy, Math.sqrt(fx * fx + fz * fz)));
    return insideByAngles(vx, vy, vz, yawDeg, pitchDeg, halfH, halfV);
  }

  /** The view test written as upstream writes it: angles in degrees, differences wrapped to [-180, 180). */
  static boolean insideByAngles(double vx, double vy, double vz, double yawDeg, double pitchDeg, double halfH,
      double halfV) {
    double azimuth = Math.toDegrees(Math.atan2(vx, vz));
    double elevation = Math.toDegrees(Math.atan2(vy, Math.sqrt(vx * vx + vz * vz)));
    return Math.abs(wrapDegrees(azimuth - yawDeg)) < halfH && Math.abs(wrapDegrees(elevation - pitchDeg)) < halfV;
  }

  /** Maps an angle to [-180, 180) like Python's {@code (a + 180) % 360 - 180}. */
  static double wrapDegrees(double degrees) {
    double m = (degrees + 180.0) % 360.0;
    if (m < 0) {
      m += 360.0;
    }
    return m - 180.0;
  }

  /** Builds the preorder bounding-sphere tree by median splits along the widest axis. */
  private static final class TreeBuilder {
    final List<double[]> nodes = new ArrayList<>();
    final double[][] sorted;

    TreeBuilder(List<double[]> points) {
      sorted = points.toArray(new double[0][]);
      build(0, sorted.length);
    }

    double[] coordinates(int axis) {
      double[] out = new double[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        out[i] = sorted[i][axis];
      }
      return out;
    }

    private void build(int start, int end) {
      double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
      double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      double[] mean = new double[3];
      for (int i = start; i < end; i++) {
        for (int a = 0; a < 3; a++) {
          min[a] = Math.min(min[a], sorted[i][a]);
          max[a] = Math.max(max[a], sorted[i][a]);
          mean[a] += sorted[i][a] / (end - start);
        }
      }
      double r = 0;
      for (int i = start; i < end; i++) {
        double dx = sorted[i][0] - mean[0], dy = sorted[i][1] - mean[1], dz = sorted[i][2] - mean[2];
        r = Math.max(r, Math.sqrt(dx * dx + dy * dy + dz * dz));
      }
      boolean leaf = end - start <= LEAF_SIZE;
      double[] node = {mean[0], mean[1], mean[2], r * (1 + 1e-9) + 1e-9, start, end, 0, leaf ? 1 : 0};
      int index = nodes.size();
      nodes.add(node);
      if (!leaf) {
        int axis = 0;
        for (int a = 1; a < 3; a++) {
          if (max[a] - min[a] > max[axis] - min[axis]) {
            axis = a;
          }
        }
        final int splitAxis = axis;
        Arrays.sort(sorted, start, end, (p, q) -> Double.compare(p[splitAxis], q[splitAxis]));
        int middle = (start + end) >>> 1;
        build(start, middle);
        build(middle, end);
      }
      nodes.get(index)[6] = nodes.size();
    }
  }
}
