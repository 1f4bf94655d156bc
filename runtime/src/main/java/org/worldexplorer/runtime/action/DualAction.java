package org.worldexplorer.runtime.action;

/**
 * One latent's action in both forms the model takes: the discrete 81-class label ({@code 9 * translation +
 * rotation}, see the bundle format) and the continuous camera delta that moved the camera to this latent, in
 * the previous camera's local frame (OpenCV axes: +x right, +y down, +z forward).
 *
 * @param label discrete label, 0..80
 * @param forward translation along local +z, scene units
 * @param right translation along local +x, scene units
 * @param yawDegrees rotation about local +y (positive turns right)
 * @param pitchDegrees rotation about local +x (positive looks up)
 */
public record DualAction(int label, float forward, float right, float yawDegrees, float pitchDegrees) {

  /** Number of discrete classes. */
  public static final int LABEL_COUNT = 81;

  /** The action of a latent that does not move (and of latent 0). */
  public static final DualAction STILL = new DualAction(0, 0f, 0f, 0f, 0f);

  public DualAction {
    if (label < 0 || label >= LABEL_COUNT) {
      throw new IllegalArgumentException("action label must be in 0.." + (LABEL_COUNT - 1) + ", got " + label);
    }
  }
}
