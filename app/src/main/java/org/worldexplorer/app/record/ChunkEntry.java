package org.worldexplorer.app.record;

import java.util.List;
import org.worldexplorer.runtime.action.DualAction;

/**
 * One chunk in a session log: its inputs and checks of its outputs.
 *
 * @param chunk chunk index, from 0
 * @param actions one per latent (in chunk 0 the first is ignored: latent 0 is the start image)
 * @param cameraToWorld one row-major 4x4 per latent, 16 values each
 * @param latentsSha256 hash of the chunk's clean latents (float32, native order)
 * @param frameSha256 hash of each RGB8 frame written to the video; empty when the chunk is not in the video
 */
public record ChunkEntry(int chunk, List<DualAction> actions, List<double[]> cameraToWorld, String latentsSha256,
    List<String> frameSha256) {

  public ChunkEntry {
    if (chunk < 0) {
      throw new IllegalArgumentException("chunk must be 0 or more, got " + chunk);
    }
    if (actions.size() != cameraToWorld.size()) {
      throw new IllegalArgumentException("chunk " + chunk + " needs one pose per action; got " + actions.size()
          + " actions and " + cameraToWorld.size() + " poses");
    }
    for (double[] pose : cameraToWorld) {
      if (pose.length != 16) {
        throw new IllegalArgumentException("chunk " + chunk + ": a pose is 16 numbers (row-major 4x4), got "
            + pose.length);
      }
    }
    actions = List.copyOf(actions);
    cameraToWorld = List.copyOf(cameraToWorld);
    frameSha256 = List.copyOf(frameSha256);
  }

  /** This entry with the hashes of the frames that went into the video. */
  public ChunkEntry withFrames(List<String> hashes) {
    return new ChunkEntry(chunk, actions, cameraToWorld, latentsSha256, hashes);
  }
}
