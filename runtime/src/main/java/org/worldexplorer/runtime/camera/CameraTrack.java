package org.worldexplorer.runtime.camera;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.joml.Matrix4f;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.memory.CameraHistory;

/**
 * The camera pose of every latent of a session, integrated from per-latent deltas by {@link CameraStep}.
 * Latent 0 is the identity (the start image's camera).
 *
 * <p>Each pose is kept twice, camera-to-world and its inverse world-to-camera, as 16 floats in JOML's
 * column-major order inside flat arrays that grow by doubling; give a capacity that covers the session and
 * appending allocates nothing. The running pose is integrated in double precision so a long walk does not
 * drift. Not thread-safe: the generation thread owns it, and memory selectors read it on that thread.
 */
public final class CameraTrack implements CameraHistory {

  private static final int FLOATS = 16;

  private final Matrix4d pose = new Matrix4d();
  private final Matrix4d inverse = new Matrix4d();
  private float[] cameraToWorld;
  private float[] worldToCamera;
  private int size;

  /** A track holding only latent 0, with room for {@code initialCapacity} latents. */
  public CameraTrack(int initialCapacity) {
    if (initialCapacity < 1) {
      throw new IllegalArgumentException("initialCapacity must be at least 1 latent, got " + initialCapacity);
    }
    cameraToWorld = new float[FLOATS * initialCapacity];
    worldToCamera = new float[FLOATS * initialCapacity];
    reset();
  }

  /** Forgets every latent but latent 0, the identity. */
  public void reset() {
    size = 0;
    pose.identity();
    store();
  }

  @Override
  public int size() {
    return size;
  }

  /** Appends the latent reached by moving the latest camera by {@code action}'s deltas; returns its index. */
  public int append(DualAction action) {
    return append(action.forward(), action.right(), action.yawDegrees(), action.pitchDegrees());
  }

  /** Appends the latent reached by one step (see {@link CameraStep}); returns its index. */
  public int append(double forward, double right, double yawDegrees, double pitchDegrees) {
    CameraStep.apply(pose, forward, right, yawDegrees, pitchDegrees);
    return store();
  }

  /** Appends a latent at the same pose as the latest one; returns its index. */
  public int appendStill() {
    return store();
  }

  /** Appends a latent at an absolute camera-to-world pose (from a pose file); later steps start from it. */
  public int appendPose(Matrix4dc cameraToWorldPose) {
    pose.set(cameraToWorldPose);
    return store();
  }

  /** The latest camera-to-world pose, in double precision. */
  public Matrix4d latest(Matrix4d dest) {
    return dest.set(pose);
  }

  /** Writes the camera-to-world matrix of latent {@code latentIndex} into {@code dest} and returns it. */
  public Matrix4f cameraToWorld(int latentIndex, Matrix4f dest) {
    return dest.set(cameraToWorld, FLOATS * checkIndex(latentIndex));
  }

  @Override
  public Matrix4f worldToCamera(int latentIndex, Matrix4f dest) {
    return dest.set(worldToCamera, FLOATS * checkIndex(latentIndex));
  }

  /** Puts latent {@code latentIndex}'s world-to-camera matrix as 16 floats, row by row, at dest's position. */
  public FloatBuffer putWorldToCameraRowMajor(int latentIndex, FloatBuffer dest) {
    int base = FLOATS * checkIndex(latentIndex);
    for (int row = 0; row < 4; row++) {
      for (int column = 0; column < 4; column++) {
        dest.put(worldToCamera[base + 4 * column + row]);
      }
    }
    return dest;
  }

  private int store() {
    if (FLOATS * (size + 1) > cameraToWorld.length) {
      cameraToWorld = Arrays.copyOf(cameraToWorld, 2 * cameraToWorld.length);
      worldToCamera = Arrays.copyOf(worldToCamera, 2 * worldToCamera.length);
    }
    pose.get(cameraToWorld, FLOATS * size);
    pose.invertAffine(inverse).get(worldToCamera, FLOATS * size);
    return size++;
  }

  private int checkIndex(int latentIndex) {
    if (latentIndex < 0 || latentIndex >= size) {
      throw new IndexOutOfBoundsException("latent " + latentIndex + " is not on the track; it holds 0.." + (size - 1));
    }
    return latentIndex;
  }
}
