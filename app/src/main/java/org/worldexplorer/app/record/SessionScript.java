package org.worldexplorer.app.record;

import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.camera.Trajectory;

/**
 * The inputs of a headless run, chunk by chunk: the actions, the camera poses when the camera is placed rather
 * than moved (pose paths), and the prompt events.
 *
 * @param actions one array per chunk, one action per latent
 * @param poses one array per chunk of camera-to-world poses, or null to move the camera by the actions
 * @param prompts prompt events by chunk
 */
public record SessionScript(List<DualAction[]> actions, List<Matrix4dc[]> poses, List<PromptEvent> prompts) {

  public SessionScript {
    if (poses != null && poses.size() != actions.size()) {
      throw new IllegalArgumentException("a script needs poses for every chunk or none; got " + actions.size()
          + " chunks of actions and " + poses.size() + " of poses");
    }
    actions = List.copyOf(actions);
    poses = poses == null ? null : List.copyOf(poses);
    prompts = List.copyOf(prompts);
  }

  public int chunks() {
    return actions.size();
  }

  /** The inputs of a logged session: actions, and poses when the log was driven by poses. */
  public static SessionScript of(SessionLog log) {
    boolean byPoses = log.header().drive().equals("poses");
    List<DualAction[]> actions = new ArrayList<>();
    List<Matrix4dc[]> poses = byPoses ? new ArrayList<>() : null;
    for (ChunkEntry c : log.chunks()) {
      actions.add(c.actions().toArray(DualAction[]::new));
      if (byPoses) {
        Matrix4dc[] chunk = new Matrix4dc[c.cameraToWorld().size()];
        for (int l = 0; l < chunk.length; l++) {
          chunk[l] = fromRowMajor(c.cameraToWorld().get(l));
        }
        poses.add(chunk);
      }
    }
    return new SessionScript(actions, poses, log.prompts());
  }

  /** A camera path already padded to whole chunks: each latent's pose, labelled by the trajectory's labels. */
  public static SessionScript of(Trajectory path, int latentsPerChunk, List<PromptEvent> prompts) {
    if (path.size() % latentsPerChunk != 0) {
      throw new IllegalArgumentException("pad the path to whole chunks first: " + path.size() + " latents is not a "
          + "multiple of " + latentsPerChunk);
    }
    List<DualAction[]> actions = new ArrayList<>();
    List<Matrix4dc[]> poses = new ArrayList<>();
    for (int c = 0; c < path.size() / latentsPerChunk; c++) {
      DualAction[] a = new DualAction[latentsPerChunk];
      Matrix4dc[] p = new Matrix4dc[latentsPerChunk];
      for (int l = 0; l < latentsPerChunk; l++) {
        int i = c * latentsPerChunk + l;
        a[l] = new DualAction(path.labels().get(i), 0f, 0f, 0f, 0f);
        p[l] = new Matrix4d(path.cameraToWorld().get(i));
      }
      actions.add(a);
      poses.add(p);
    }
    return new SessionScript(actions, poses, prompts);
  }

  static Matrix4d fromRowMajor(double[] v) {
    return new Matrix4d(v[0], v[4], v[8], v[12], v[1], v[5], v[9], v[13], v[2], v[6], v[10], v[14], v[3], v[7],
        v[11], v[15]);
  }
}
