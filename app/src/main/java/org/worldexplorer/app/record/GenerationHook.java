package org.worldexplorer.app.record;

import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * What the generation thread tells a recording: a session began, its prompt changed, a chunk was made, the loop
 * ended. All calls come from the generation thread, in that order of events.
 */
public interface GenerationHook {

  /** A new session was made (start or reset); its prompt now is the prompt of chunk 0. */
  void sessionStarted(WorldSession session);

  /** {@code session.setPrompt(prompt)} was called: it applies from {@code session.chunkIndex()} on. */
  void promptSet(WorldSession session, String prompt);

  /**
   * {@code result} was generated from {@code actions}, or at {@code poses} (camera-to-world, one per latent) when
   * not null. The result's buffers are read before this returns.
   */
  void chunkGenerated(WorldSession session, DualAction[] actions, Matrix4dc[] poses, ChunkResult result);

  /** The generation loop has ended; no more calls follow. */
  void stopped();

  /** A hook that does nothing. */
  GenerationHook NONE = new GenerationHook() {
    @Override
    public void sessionStarted(WorldSession session) {}

    @Override
    public void promptSet(WorldSession session, String prompt) {}

    @Override
    public void chunkGenerated(WorldSession session, DualAction[] actions, Matrix4dc[] poses, ChunkResult result) {}

    @Override
    public void stopped() {}
  };
}
