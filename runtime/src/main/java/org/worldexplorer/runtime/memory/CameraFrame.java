package org.worldexplorer.runtime.memory;

import org.joml.Matrix4f;

/**
 * A camera's rigid world-to-camera transform in double precision, used to express other cameras (centre and
 * viewing direction) in its frame. Mutable scratch: one instance is reused for many cameras.
 */
final class CameraFrame {

  private double r00, r01, r02, r10, r11, r12, r20, r21, r22;
  private double t0, t1, t2;

  /** Centre of the last expressed camera, in this frame. */
  double centreX, centreY, centreZ;

  /** Viewing direction (camera +z) of the last expressed camera, in this frame. */
  double forwardX, forwardY, forwardZ;

  /** Loads a rigid world-to-camera matrix; returns this. */
  CameraFrame set(Matrix4f w2c) {
    r00 = w2c.m00(); r01 = w2c.m10(); r02 = w2c.m20();
    r10 = w2c.m01(); r11 = w2c.m11(); r12 = w2c.m21();
    r20 = w2c.m02(); r21 = w2c.m12(); r22 = w2c.m22();
    t0 = w2c.m30(); t1 = w2c.m31(); t2 = w2c.m32();
    return this;
  }

  /** World position of this camera's centre, {@code -R^T t}, written to {@code out[at..at+2]}. */
  void worldCentre(double[] out, int at) {
    out[at] = -(r00 * t0 + r10 * t1 + r20 * t2);
    out[at + 1] = -(r01 * t0 + r11 * t1 + r21 * t2);
    out[at + 2] = -(r02 * t0 + r12 * t1 + r22 * t2);
  }

  /** World direction of this camera's +z axis (the third row of R), written to {@code out[at..at+2]}. */
  void worldForward(double[] out, int at) {
    out[at] = r20;
    out[at + 1] = r21;
    out[at + 2] = r22;
  }

  /**
   * Expresses another camera, given by its world centre and world forward direction, in this frame; the result
   * lands in {@link #centreX} ... {@link #forwardZ}. Equals the centre and third rotation row of
   * {@code V_other * V_this^-1} for rigid matrices.
   */
  void express(double cx, double cy, double cz, double fx, double fy, double fz) {
    centreX = r00 * cx + r01 * cy + r02 * cz + t0;
    centreY = r10 * cx + r11 * cy + r12 * cz + t1;
    centreZ = r20 * cx + r21 * cy + r22 * cz + t2;
    forwardX = r00 * fx + r01 * fy + r02 * fz;
    forwardY = r10 * fx + r11 * fy + r12 * fz;
    forwardZ = r20 * fx + r21 * fy + r22 * fz;
  }

  /** Maps a point given in this camera's frame back to world coordinates, written to {@code out[at..at+2]}. */
  void toWorld(double x, double y, double z, double[] out, int at) {
    double dx = x - t0, dy = y - t1, dz = z - t2;
    out[at] = r00 * dx + r10 * dy + r20 * dz;
    out[at + 1] = r01 * dx + r11 * dy + r21 * dz;
    out[at + 2] = r02 * dx + r12 * dy + r22 * dz;
  }
}
