package org.worldexplorer.runtime.camera;

import org.joml.Matrix4d;

/**
 * The one rule that moves a camera by one latent's deltas (upstream-spec section 3.3), shared by the live
 * {@link CameraTrack} and the {@link PoseStringParser}.
 *
 * <p>On a camera-to-world matrix: rotate by yaw about the camera's own y axis, then by pitch about its own x
 * axis (right-multiplied, no world-up constraint), then translate by {@code (right, 0, forward)} in the rotated
 * camera frame. OpenCV axes: +x right, +y down, +z forward, so positive yaw turns the view toward +x and
 * positive pitch turns it toward -y (up).
 */
public final class CameraStep {

  private CameraStep() {}

  /** Applies one step to {@code cameraToWorld} in place and returns it. */
  public static Matrix4d apply(Matrix4d cameraToWorld, double forward, double right, double yawDegrees,
      double pitchDegrees) {
    return cameraToWorld
        .rotateY(Math.toRadians(yawDegrees))
        .rotateX(Math.toRadians(pitchDegrees))
        .translate(right, 0, forward);
  }
}
