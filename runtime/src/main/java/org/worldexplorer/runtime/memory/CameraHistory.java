package org.worldexplorer.runtime.memory;

import org.joml.Matrix4f;

/**
 * Append-only view of the world-to-camera pose of every latent generated so far (and of the chunk being
 * generated, whose poses are known before its latents are). Memory selectors read it; they never copy it.
 */
public interface CameraHistory {

  /** Number of latents whose pose is known. */
  int size();

  /** Writes the world-to-camera matrix of latent {@code latentIndex} into {@code dest} and returns it. */
  Matrix4f worldToCamera(int latentIndex, Matrix4f dest);
}
