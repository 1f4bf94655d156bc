package org.worldexplorer.app.record;

import java.util.List;

/**
 * Compares a replay with its recording, chunk by chunk: the latents' hash and each video frame's hash.
 *
 * @param chunks chunks compared
 * @param frames video frames compared
 * @param firstDifference empty when everything matched; otherwise where the replay first differs
 */
public record ReplayCheck(int chunks, int frames, String firstDifference) {

  public boolean identical() {
    return firstDifference.isEmpty();
  }

  public static ReplayCheck compare(List<ChunkEntry> recorded, List<ChunkEntry> replayed) {
    int chunks = 0;
    int frames = 0;
    for (int c = 0; c < recorded.size(); c++) {
      ChunkEntry a = recorded.get(c);
      if (c >= replayed.size()) {
        return new ReplayCheck(chunks, frames, "the replay ends before chunk " + c);
      }
      ChunkEntry b = replayed.get(c);
      if (!a.latentsSha256().equals(b.latentsSha256())) {
        return new ReplayCheck(chunks, frames, "chunk " + c + ": the latents differ");
      }
      chunks++;
      if (!a.frameSha256().isEmpty()) {
        for (int f = 0; f < a.frameSha256().size(); f++) {
          if (f >= b.frameSha256().size() || !a.frameSha256().get(f).equals(b.frameSha256().get(f))) {
            return new ReplayCheck(chunks, frames, "chunk " + c + " frame " + f + " differs");
          }
          frames++;
        }
      }
    }
    return new ReplayCheck(chunks, frames, "");
  }

  @Override
  public String toString() {
    return identical() ? "bit-identical: " + chunks + " chunks' latents and " + frames + " frames match the recording"
        : "differs from the recording at " + firstDifference + " (" + chunks + " chunks and " + frames
            + " frames matched before)";
  }
}
