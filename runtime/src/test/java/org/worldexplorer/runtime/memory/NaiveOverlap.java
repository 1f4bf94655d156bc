package org.worldexplorer.runtime.memory;

import org.joml.Matrix4d;
import org.joml.Matrix4f;

/**
 * The view-overlap count computed the slow, literal way over all points: relative pose by a general matrix
 * inverse, both view tests with atan2 and wrapped degree differences. The reference for the optimised counter.
 */
final class NaiveOverlap {

  private NaiveOverlap() {}

  /** Points seen by both cameras, and (in [1]) points seen by the query camera. */
  static int[] count(Matrix4f queryW2c, Matrix4f historyW2c, MonteCarloPoints points, MemoryConfig config) {
    Matrix4d relative = new Matrix4d(historyW2c).mul(new Matrix4d(queryW2c).invert());
    // Centre -R^T t and forward = third row of R, of the history camera in the query camera's frame.
    double tx = relative.m30(), ty = relative.m31(), tz = relative.m32();
    double cx = -(relative.m00() * tx + relative.m01() * ty + relative.m02() * tz);
    double cy = -(relative.m10() * tx + relative.m11() * ty + relative.m12() * tz);
    double cz = -(relative.m20() * tx + relative.m21() * ty + relative.m22() * tz);
    double fx = relative.m02(), fy = relative.m12(), fz = relative.m22();
    double yaw = Math.toDegrees(Math.atan2(fx, fz));
    double pitch = Math.toDegrees(Math.atan2(fy, Math.sqrt(fx * fx + fz * fz)));
    double halfH = config.horizontalFovDegrees() / 2, halfV = config.verticalFovDegrees() / 2;
    double scale = config.viewRadius() / MonteCarloPoints.RADIUS;
    int both = 0, query = 0;
    for (int i = 0; i < points.size(); i++) {
      double x = points.coordinate(i, 0) * scale, y = points.coordinate(i, 1) * scale;
      double z = points.coordinate(i, 2) * scale;
      boolean inQuery = ViewOverlapCounter.insideByAngles(x, y, z, 0, 0, halfH, halfV);
      double vx = x - cx, vy = y - cy, vz = z - cz;
      boolean inHistory = ViewOverlapCounter.insideByAngles(vx, vy, vz, yaw, pitch, halfH, halfV)
          && Math.sqrt(vx * vx + vy * vy + vz * vz) < config.viewRadius();
      query += inQuery ? 1 : 0;
      both += inQuery && inHistory ? 1 : 0;
    }
    return new int[] {both, query};
  }
}
