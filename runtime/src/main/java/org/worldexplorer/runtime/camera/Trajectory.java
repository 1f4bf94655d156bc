package org.worldexplorer.runtime.camera;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.DiscreteLabeler;
import org.worldexplorer.runtime.action.DualAction;

/**
 * A scripted camera path, one entry per latent: the camera-to-world pose, the normalised intrinsics and the
 * discrete action label (latent 0 is always label 0), plus what was noticed while building it.
 *
 * @param cameraToWorld poses, one per latent (copies; never modified)
 * @param intrinsics normalised intrinsics, one per latent
 * @param labels discrete labels, one per latent
 * @param warnings things a user should hear about (padding, odd poses); never errors
 */
public record Trajectory(
    List<Matrix4dc> cameraToWorld,
    List<NormalizedIntrinsics> intrinsics,
    List<Integer> labels,
    List<String> warnings) {

  public Trajectory {
    if (cameraToWorld == null || cameraToWorld.isEmpty()) {
      throw new IllegalArgumentException("a trajectory needs at least one pose (latent 0)");
    }
    int n = cameraToWorld.size();
    if (intrinsics == null || intrinsics.size() != n || labels == null || labels.size() != n) {
      throw new IllegalArgumentException("a trajectory needs one pose, one intrinsics and one label per latent; got "
          + n + " poses, " + (intrinsics == null ? 0 : intrinsics.size()) + " intrinsics, "
          + (labels == null ? 0 : labels.size()) + " labels");
    }
    for (int i = 0; i < n; i++) {
      int label = labels.get(i);
      if (label < 0 || label >= DualAction.LABEL_COUNT || (i == 0 && label != 0)) {
        throw new IllegalArgumentException("label of latent " + i + " is " + label
            + "; latent 0 must be 0 and the others in 0.." + (DualAction.LABEL_COUNT - 1));
      }
    }
    List<Matrix4dc> poses = new ArrayList<>(n);
    for (Matrix4dc pose : cameraToWorld) {
      poses.add(new Matrix4d(pose));
    }
    cameraToWorld = Collections.unmodifiableList(poses);
    intrinsics = List.copyOf(intrinsics);
    labels = List.copyOf(labels);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** Builds a trajectory from poses, labelling each latent from the step that reached it. */
  public static Trajectory fromPoses(List<? extends Matrix4dc> cameraToWorld, List<NormalizedIntrinsics> intrinsics,
      DiscreteLabeler labeler, List<String> warnings) {
    List<Integer> labels = new ArrayList<>(cameraToWorld.size());
    Matrix4d scratch = new Matrix4d();
    for (int i = 0; i < cameraToWorld.size(); i++) {
      labels.add(i == 0 ? 0 : labeler.label(cameraToWorld.get(i - 1), cameraToWorld.get(i), scratch));
    }
    return new Trajectory(List.copyOf(cameraToWorld), intrinsics, labels, warnings);
  }

  /** Number of latents. */
  public int size() {
    return cameraToWorld.size();
  }

  /** World-to-camera pose of latent {@code latentIndex} (the inverse of its camera-to-world). */
  public Matrix4d worldToCamera(int latentIndex, Matrix4d dest) {
    return cameraToWorld.get(latentIndex).invert(dest);
  }

  /**
   * This trajectory made a whole number of chunks long: missing latents are appended as still latents (the
   * last pose and intrinsics again, label 0) and a warning says so. Returns this trajectory if nothing is
   * missing.
   */
  public Trajectory padToChunks(int latentsPerChunk) {
    if (latentsPerChunk < 1) {
      throw new IllegalArgumentException("latentsPerChunk must be at least 1, got " + latentsPerChunk);
    }
    int missing = (latentsPerChunk - size() % latentsPerChunk) % latentsPerChunk;
    if (missing == 0) {
      return this;
    }
    List<Matrix4dc> poses = new ArrayList<>(cameraToWorld);
    List<NormalizedIntrinsics> ks = new ArrayList<>(intrinsics);
    List<Integer> ls = new ArrayList<>(labels);
    for (int i = 0; i < missing; i++) {
      poses.add(cameraToWorld.get(size() - 1));
      ks.add(intrinsics.get(size() - 1));
      ls.add(0);
    }
    List<String> ws = new ArrayList<>(warnings);
    ws.add("the trajectory has " + size() + " latents, not a multiple of " + latentsPerChunk
        + " (one chunk); padded with " + missing + " still latent" + (missing == 1 ? "" : "s")
        + " at the end (same pose, label 0) to " + (size() + missing));
    return new Trajectory(poses, ks, ls, ws);
  }
}
