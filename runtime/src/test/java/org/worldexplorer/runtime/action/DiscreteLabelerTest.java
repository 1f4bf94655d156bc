package org.worldexplorer.runtime.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.joml.Matrix4d;
import org.junit.jupiter.api.Test;

/**
 * Labels of hand-built relative poses. Matrices are written row by row with explicit sines and cosines, so the
 * sign conventions are checked without trusting JOML's rotation helpers.
 */
class DiscreteLabelerTest {

  private static final double C3 = Math.cos(Math.toRadians(3));
  private static final double S3 = Math.sin(Math.toRadians(3));

  private final DiscreteLabeler labeler = new DiscreteLabeler(ActionLimits.upstreamDefaults());

  /** A relative pose from a row-major 3x3 rotation and a translation. */
  private static Matrix4d pose(double[] r, double tx, double ty, double tz) {
    return new Matrix4d(
        r[0], r[3], r[6], 0,
        r[1], r[4], r[7], 0,
        r[2], r[5], r[8], 0,
        tx, ty, tz, 1);
  }

  private static final double[] I = {1, 0, 0, 0, 1, 0, 0, 0, 1};

  /** Yaw by +-3 degrees about y: forward (0,0,1) goes to (sin, 0, cos). */
  private static double[] yaw(int sign) {
    double s = sign * S3;
    return new double[] {C3, 0, s, 0, 1, 0, -s, 0, C3};
  }

  /** Pitch by +-3 degrees about x: forward goes to (0, -sin, cos), toward -y (up). */
  private static double[] pitch(int sign) {
    double s = sign * S3;
    return new double[] {1, 0, 0, 0, C3, -s, 0, s, C3};
  }

  private static double[] times(double[] a, double[] b) {
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
      }
    }
    return c;
  }

  @Test
  void stillIsZero() {
    assertEquals(0, labeler.label(pose(I, 0, 0, 0)));
  }

  @Test
  void translationsMatchThePoseStringTokens() {
    assertEquals(9, labeler.label(pose(I, 0, 0, 0.08)), "w");
    assertEquals(18, labeler.label(pose(I, 0, 0, -0.08)), "s");
    assertEquals(27, labeler.label(pose(I, 0.08, 0, 0)), "d");
    assertEquals(36, labeler.label(pose(I, -0.08, 0, 0)), "a");
  }

  @Test
  void rotationsMatchThePoseStringTokens() {
    assertEquals(1, labeler.label(pose(yaw(+1), 0, 0, 0)), "right");
    assertEquals(2, labeler.label(pose(yaw(-1), 0, 0, 0)), "left");
    assertEquals(3, labeler.label(pose(pitch(+1), 0, 0, 0)), "up");
    assertEquals(4, labeler.label(pose(pitch(-1), 0, 0, 0)), "down");
  }

  @Test
  void diagonalTranslationsUseTheCombinedClasses() {
    double d = 0.08 / Math.sqrt(2);
    assertEquals(9 * 5, labeler.label(pose(I, d, 0, d)), "fwd+right");
    assertEquals(9 * 6, labeler.label(pose(I, -d, 0, d)), "fwd+left");
    assertEquals(9 * 7, labeler.label(pose(I, d, 0, -d)), "back+right");
    assertEquals(9 * 8, labeler.label(pose(I, -d, 0, -d)), "back+left");
  }

  @Test
  void directionSwitchesClassAtSixtyDegreesFromEachAxis() {
    // Angle theta from +z toward +x: 25 deg is 65 deg from x (forward only), 35 deg is 55 deg from x (both).
    assertEquals(9, labeler.label(pose(I, sinDeg(25), 0, cosDeg(25))));
    assertEquals(45, labeler.label(pose(I, sinDeg(35), 0, cosDeg(35))));
    assertEquals(27, labeler.label(pose(I, sinDeg(65), 0, cosDeg(65))));
    assertEquals(36, labeler.label(pose(I, -sinDeg(65), 0, cosDeg(65))));
  }

  @Test
  void verticalMotionIsNeverLabelled() {
    assertEquals(0, labeler.label(pose(I, 0, 0.08, 0)));
    assertEquals(0, labeler.label(pose(I, 0, -0.08, 0)));
  }

  @Test
  void rotationCombosFollowTheTable() {
    assertEquals(5, labeler.label(pose(times(yaw(+1), pitch(+1)), 0, 0, 0)), "right+up");
    assertEquals(6, labeler.label(pose(times(yaw(+1), pitch(-1)), 0, 0, 0)), "right+down");
    assertEquals(7, labeler.label(pose(times(yaw(-1), pitch(+1)), 0, 0, 0)), "left+up");
    assertEquals(8, labeler.label(pose(times(yaw(-1), pitch(-1)), 0, 0, 0)), "left+down");
  }

  @Test
  void translationAndRotationCombine() {
    // w+right: the step rotates first, so t = Ry(3) (0,0,0.08) = (0.08 sin3, 0, 0.08 cos3), 3 deg off +z.
    assertEquals(10, labeler.label(pose(yaw(+1), 0.08 * S3, 0, 0.08 * C3)));
    assertEquals(9 * 2 + 2, labeler.label(pose(yaw(-1), 0.08 * S3, 0, -0.08 * C3)), "s+left");
    assertEquals(9 * 3 + 3, labeler.label(pose(pitch(+1), 0.08, 0, 0)), "d+up");
    assertEquals(9 * 4 + 4, labeler.label(pose(pitch(-1), -0.08, 0, 0)), "a+down");
  }

  @Test
  void motionsAtTheThresholdsAreNotLabelled() {
    assertEquals(0, labeler.label(pose(I, 0, 0, 0.99e-4)));
    assertEquals(9, labeler.label(pose(I, 0, 0, 1.01e-4)));
    assertEquals(0, labeler.label(pose(yawDegrees(0.049), 0, 0, 0)));
    assertEquals(1, labeler.label(pose(yawDegrees(0.051), 0, 0, 0)));
    assertEquals(2, labeler.label(pose(yawDegrees(-0.051), 0, 0, 0)));
  }

  private static double[] yawDegrees(double d) {
    return new double[] {cosDeg(d), 0, sinDeg(d), 0, 1, 0, -sinDeg(d), 0, cosDeg(d)};
  }

  @Test
  void relativePoseIsSeenFromThePreviousCamera() {
    // Previous camera yawed 90 deg right (its forward is world +x) at (5, 0, 3); the next one is 0.08 along +x.
    double[] yaw90 = {0, 0, 1, 0, 1, 0, -1, 0, 0};
    Matrix4d previous = pose(yaw90, 5, 0, 3);
    Matrix4d current = pose(yaw90, 5.08, 0, 3);
    assertEquals(9, labeler.label(previous, current, new Matrix4d()));
    assertEquals(27, labeler.label(previous, pose(yaw90, 5, 0, 2.92), new Matrix4d()), "world -z is its right");
  }

  @Test
  void stepLabelsMatchTheHandBuiltPoses() {
    assertEquals(9, labeler.labelOfStep(0.08, 0, 0, 0));
    assertEquals(36, labeler.labelOfStep(0, -0.08, 0, 0));
    assertEquals(10, labeler.labelOfStep(0.08, 0, 3, 0));
    assertEquals(4, labeler.labelOfStep(0, 0, 0, -3));
    // w+d with right+up: t = Ry Rx (0.08, 0, 0.08) is about 45 deg between +z and +x.
    assertEquals(9 * 5 + 5, labeler.labelOfStep(0.08, 0.08, 3, 3));
  }

  @Test
  void combineCoversAllNineClasses() {
    int[][] expected = {{0, 3, 4}, {1, 5, 6}, {2, 7, 8}};
    for (int first = 0; first < 3; first++) {
      for (int second = 0; second < 3; second++) {
        assertEquals(expected[first][second], DiscreteLabeler.combine(first, second), first + "," + second);
      }
    }
  }

  private static double sinDeg(double d) {
    return Math.sin(Math.toRadians(d));
  }

  private static double cosDeg(double d) {
    return Math.cos(Math.toRadians(d));
  }
}
