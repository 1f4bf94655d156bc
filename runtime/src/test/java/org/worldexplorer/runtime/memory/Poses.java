package org.worldexplorer.runtime.memory;

import org.joml.Matrix4f;

/** Builds world-to-camera matrices in upstream's axes (+x right, +y down, +z forward), for tests. */
final class Poses {

  private Poses() {}

  /**
   * The camera at (x, y, z) turned right by {@code yawDegrees} about its y axis and then up by
   * {@code pitchDegrees} about its x axis (camera-to-world = T * Ry * Rx), inverted to world-to-camera.
   */
  static Matrix4f worldToCamera(float x, float y, float z, float yawDegrees, float pitchDegrees) {
    return new Matrix4f()
        .translate(x, y, z)
        .rotateY((float) Math.toRadians(yawDegrees))
        .rotateX((float) Math.toRadians(pitchDegrees))
        .invert();
  }
}
