package org.worldexplorer.runtime.memory;

import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4f;

/** A camera history backed by a list of world-to-camera matrices, for tests. */
public final class ListCameraHistory implements CameraHistory {

  private final List<Matrix4f> worldToCamera = new ArrayList<>();

  /** Appends the camera at {@code centre}, turned by yaw (right, degrees) then pitch (up, degrees). */
  ListCameraHistory add(float x, float y, float z, float yawDegrees, float pitchDegrees) {
    worldToCamera.add(Poses.worldToCamera(x, y, z, yawDegrees, pitchDegrees));
    return this;
  }

  /** Appends {@code count} copies of the same camera. */
  ListCameraHistory repeat(int count, float x, float y, float z, float yawDegrees, float pitchDegrees) {
    for (int i = 0; i < count; i++) {
      add(x, y, z, yawDegrees, pitchDegrees);
    }
    return this;
  }

  public ListCameraHistory add(Matrix4f w2c) {
    worldToCamera.add(new Matrix4f(w2c));
    return this;
  }

  @Override
  public int size() {
    return worldToCamera.size();
  }

  @Override
  public Matrix4f worldToCamera(int latentIndex, Matrix4f dest) {
    return dest.set(worldToCamera.get(latentIndex));
  }
}
