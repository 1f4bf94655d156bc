package org.worldexplorer.runtime.action;

import org.joml.Matrix4d;
import org.joml.Matrix4dc;

/**
 * Turns a relative camera pose into the model's discrete action label (upstream-spec section 4.1).
 *
 * <p>The relative pose is {@code rel = C_prev^-1 * C_cur} with C camera-to-world. Translation one-hot
 * [forward, back, right, left] compares the angles of the unit translation with the local z and x axes
 * against 60 and 120 degrees, once the translation is longer than tau_t; vertical motion is never labelled.
 * Rotation one-hot [yaw-right, yaw-left, up, down] uses the extrinsic "xyz" Euler angles
 * {@code beta = atan2(-R20, sqrt(R00^2 + R10^2))} (yaw) and {@code alpha = atan2(R21, R22)} (pitch) against
 * tau_r. Each one-hot maps to a class 0..8 (none, first, second, third, fourth, first+third, first+fourth,
 * second+third, second+fourth) and the label is {@code 9 * translationClass + rotationClass}.
 *
 * <p>Immutable and thread-safe; labelling allocates nothing.
 */
public final class DiscreteLabeler {

  private final double translationThreshold;
  private final double rotationThresholdDegrees;

  /** A labeller with the thresholds of {@code limits}. */
  public DiscreteLabeler(ActionLimits limits) {
    this(limits.translationThreshold(), limits.rotationThresholdDegrees());
  }

  /**
   * A labeller with explicit thresholds (training and evaluation use other values than inference).
   *
   * @param translationThreshold tau_t, scene units, zero or more
   * @param rotationThresholdDegrees tau_r, degrees, zero or more
   */
  public DiscreteLabeler(double translationThreshold, double rotationThresholdDegrees) {
    if (!(translationThreshold >= 0) || !(rotationThresholdDegrees >= 0)) {
      throw new IllegalArgumentException("label thresholds must be zero or positive, got translation "
          + translationThreshold + " and rotation " + rotationThresholdDegrees + " degrees");
    }
    this.translationThreshold = translationThreshold;
    this.rotationThresholdDegrees = rotationThresholdDegrees;
  }

  /** The label of the step from camera-to-world pose {@code previous} to {@code current}. */
  public int label(Matrix4dc previous, Matrix4dc current, Matrix4d scratch) {
    return label(previous.invert(scratch).mul(current));
  }

  /** The label of a relative camera-to-world pose (the current camera seen from the previous one). */
  public int label(Matrix4dc relative) {
    // JOML names elements m<column><row>: R_rc is m<c><r>, the translation is column 3.
    return label(relative.m00(), relative.m01(), relative.m02(), relative.m12(), relative.m22(),
        relative.m30(), relative.m31(), relative.m32());
  }

  /**
   * The label of one camera step given as the deltas that {@code CameraTrack} integrates: rotate by yaw about
   * the local y axis, then by pitch about the local x axis, then translate by {@code (right, 0, forward)} in the
   * rotated frame.
   */
  public int labelOfStep(double forward, double right, double yawDegrees, double pitchDegrees) {
    double cy = Math.cos(Math.toRadians(yawDegrees));
    double sy = Math.sin(Math.toRadians(yawDegrees));
    double cp = Math.cos(Math.toRadians(pitchDegrees));
    double sp = Math.sin(Math.toRadians(pitchDegrees));
    // R = Ry(yaw) * Rx(pitch); only the entries the labeller reads are formed.
    double r00 = cy;
    double r10 = 0;
    double r20 = -sy;
    double r21 = cy * sp;
    double r22 = cy * cp;
    double tx = cy * right + sy * cp * forward;
    double ty = -sp * forward;
    double tz = -sy * right + cy * cp * forward;
    return label(r00, r10, r20, r21, r22, tx, ty, tz);
  }

  private int label(double r00, double r10, double r20, double r21, double r22, double tx, double ty, double tz) {
    return 9 * translationClass(tx, ty, tz) + rotationClass(r00, r10, r20, r21, r22);
  }

  private int translationClass(double tx, double ty, double tz) {
    double norm = Math.sqrt(tx * tx + ty * ty + tz * tz);
    if (!(norm > translationThreshold)) {
      return 0;
    }
    double angleZ = angleDegrees(tz / norm);
    double angleX = angleDegrees(tx / norm);
    int forwardBack = angleZ < 60 ? 1 : angleZ > 120 ? 2 : 0;
    int rightLeft = angleX < 60 ? 1 : angleX > 120 ? 2 : 0;
    return combine(forwardBack, rightLeft);
  }

  private int rotationClass(double r00, double r10, double r20, double r21, double r22) {
    double beta = Math.toDegrees(Math.atan2(-r20, Math.sqrt(r00 * r00 + r10 * r10)));
    double alpha = Math.toDegrees(Math.atan2(r21, r22));
    int yaw = beta > rotationThresholdDegrees ? 1 : beta < -rotationThresholdDegrees ? 2 : 0;
    int pitch = alpha > rotationThresholdDegrees ? 1 : alpha < -rotationThresholdDegrees ? 2 : 0;
    return combine(yaw, pitch);
  }

  private static double angleDegrees(double cosine) {
    return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, cosine))));
  }

  /**
   * Class of a one-hot made of two exclusive pairs: {@code first} is 0 (neither), 1 or 2 for the first pair
   * (forward/back, yaw-right/yaw-left), {@code second} likewise for the second pair (right/left, up/down).
   */
  static int combine(int first, int second) {
    if (second == 0) {
      return first;
    }
    if (first == 0) {
      return 2 + second;
    }
    return 5 + 2 * (first - 1) + (second - 1);
  }
}
