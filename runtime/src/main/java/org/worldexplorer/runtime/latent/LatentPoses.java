package org.worldexplorer.runtime.latent;

import java.util.Arrays;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.worldexplorer.runtime.action.DualAction;

/**
 * Per-latent camera and action records in parallel primitive arrays: world-to-camera 4x4 (column-major, 16 floats
 * a latent), normalised intrinsics fx and fy, and the dual action's label and deltas. The arrays double when
 * full, so an hour (21,600 latents) costs a handful of growths and appending allocates nothing in between. Not
 * thread-safe.
 */
final class LatentPoses {

  private static final int MATRIX_FLOATS = 16;

  private int size;
  private float[] worldToCamera;
  private float[] fx;
  private float[] fy;
  private int[] label;
  private float[] forward;
  private float[] right;
  private float[] yawDegrees;
  private float[] pitchDegrees;

  LatentPoses(int initialCapacity) {
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("pose capacity must be at least 1, got " + initialCapacity);
    }
    worldToCamera = new float[initialCapacity * MATRIX_FLOATS];
    fx = new float[initialCapacity];
    fy = new float[initialCapacity];
    label = new int[initialCapacity];
    forward = new float[initialCapacity];
    right = new float[initialCapacity];
    yawDegrees = new float[initialCapacity];
    pitchDegrees = new float[initialCapacity];
  }

  int size() {
    return size;
  }

  int capacity() {
    return fx.length;
  }

  void append(Matrix4fc pose, float focalX, float focalY, DualAction action) {
    if (size == capacity()) {
      grow();
    }
    pose.get(worldToCamera, size * MATRIX_FLOATS);
    fx[size] = focalX;
    fy[size] = focalY;
    label[size] = action.label();
    forward[size] = action.forward();
    right[size] = action.right();
    yawDegrees[size] = action.yawDegrees();
    pitchDegrees[size] = action.pitchDegrees();
    size++;
  }

  Matrix4f worldToCamera(int i, Matrix4f dest) {
    return dest.set(worldToCamera, i * MATRIX_FLOATS);
  }

  float fx(int i) {
    return fx[i];
  }

  float fy(int i) {
    return fy[i];
  }

  int label(int i) {
    return label[i];
  }

  DualAction action(int i) {
    return new DualAction(label[i], forward[i], right[i], yawDegrees[i], pitchDegrees[i]);
  }

  private void grow() {
    int capacity = capacity();
    if (capacity > Integer.MAX_VALUE / (2 * MATRIX_FLOATS)) {
      throw new IllegalStateException("the pose history is full at " + capacity + " latents");
    }
    int grown = capacity * 2;
    worldToCamera = Arrays.copyOf(worldToCamera, grown * MATRIX_FLOATS);
    fx = Arrays.copyOf(fx, grown);
    fy = Arrays.copyOf(fy, grown);
    label = Arrays.copyOf(label, grown);
    forward = Arrays.copyOf(forward, grown);
    right = Arrays.copyOf(right, grown);
    yawDegrees = Arrays.copyOf(yawDegrees, grown);
    pitchDegrees = Arrays.copyOf(pitchDegrees, grown);
  }
}
