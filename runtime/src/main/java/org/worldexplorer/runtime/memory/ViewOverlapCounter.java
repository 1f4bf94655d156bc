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
 * skipped only when no point in them can pass, and each point is tested with the equivalent cosine form of the
 * angle tests, falling back to the atan2 form within a rounding margin of the boundary.
 *
 * <p>Immutable and thread-safe.
 */
final class ViewOverlapCounter {

  private static final int LEAF_SIZE = 16;
  private static final double BOUNDARY_MARGIN = 1e-12;
  // Slack on the angular cull bound, far above the rounding of the cosines it compares.
  private static final double CULL_SLACK_RADIANS = Math.toRadians(0.1);

  private final double radius;
  private final double halfH;
  private final double halfV;
  private final double cosHalfH;
  private final double cosHalfV;
  private final double cosCull;
  private final double sinCull;
  private final double cullAngle;

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
    halfH = config.horizontalFovDegrees() / 2.0;
    halfV = config.verticalFovDegrees() / 2.0;
    cosHalfH = Math.cos(Math.toRadians(halfH));
    cosHalfV = Math.cos(Math.toRadians(halfV));
    // Every direction passing both angle tests lies within halfH + halfV of the viewing direction (triangle
    // inequality: along the meridian by at most halfV, then along a parallel by at most halfH).
    cullAngle = Math.toRadians(halfH + halfV) + CULL_SLACK_RADIANS;
    cosCull = Math.cos(cullAngle);
    sinCull = Math.sin(cullAngle);

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

  /**
   * True unless the history camera (centre and viewing direction in the query frame; the direction need not be
   * unit length) provably sees none of the query points. Cheap; {@link #count} applies it too.
   */
  boolean mayOverlap(double cx, double cy, double cz, double fx, double fy, double fz) {
    double inverseLength = 1.0 / Math.sqrt(fx * fx + fy * fy + fz * fz);
    return !culled(0, cx, cy, cz, fx * inverseLength, fy * inverseLength, fz * inverseLength);
  }

  /** Number of query points the history camera sees (centre and viewing direction in the query frame). */
  int count(double cx, double cy, double cz, double fx, double fy, double fz) {
    double inverseLength = 1.0 / Math.sqrt(fx * fx + fy * fy + fz * fz);
    double ux = fx * inverseLength, uy = fy * inverseLength, uz = fz * inverseLength;
    if (culled(0, cx, cy, cz, ux, uy, uz)) {
      return 0;
    }
    double yawDeg = Math.toDegrees(Math.atan2(fx, fz));
    double pitchDeg = Math.toDegrees(Math.atan2(fy, Math.sqrt(fx * fx + fz * fz)));
    double sinYaw = Math.sin(Math.toRadians(yawDeg)), cosYaw = Math.cos(Math.toRadians(yawDeg));
    double sinPitch = Math.sin(Math.toRadians(pitchDeg)), cosPitch = Math.cos(Math.toRadians(pitchDeg));
    int count = 0;
    int node = 0;
    int nodes = nodeX.length;
    while (node < nodes) {
      if (culled(node, cx, cy, cz, ux, uy, uz)) {
        node = nodeSkip[node];
      } else if (nodeLeaf[node]) {
        for (int i = nodeStart[node], end = nodeEnd[node]; i < end; i++) {
          if (sees(px[i] - cx, py[i] - cy, pz[i] - cz, yawDeg, pitchDeg, sinYaw, cosYaw, sinPitch, cosPitch)) {
            count++;
          }
        }
        node = nodeSkip[node];
      } else {
        node++;
      }
    }
    return count;
  }

  private boolean culled(int node, double cx, double cy, double cz, double ux, double uy, double uz) {
    double wx = nodeX[node] - cx, wy = nodeY[node] - cy, wz = nodeZ[node] - cz;
    double distance = Math.sqrt(wx * wx + wy * wy + wz * wz);
    double r = nodeR[node];
    if (distance - r >= radius) {
      return true;
    }
    if (distance <= r) {
      return false;
    }
    // The sphere subtends an angle b; it is out of view when angle(u, w) >= cullAngle + b.
    double sinB = r / distance;
    double cosB = Math.sqrt(1.0 - sinB * sinB);
    if (cullAngle >= Math.PI / 2 && sinB >= sinCull) {
      return false; // cullAngle + b reaches pi: no direction is out of reach
    }
    double cosLimit = cosCull * cosB - sinCull * sinB;
    return (ux * wx + uy * wy + uz * wz) / distance <= cosLimit;
  }

  private boolean sees(double vx, double vy, double vz, double yawDeg, double pitchDeg, double sinYaw,
      double cosYaw, double sinPitch, double cosPitch) {
    double length = Math.sqrt(vx * vx + vy * vy + vz * vz);
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
