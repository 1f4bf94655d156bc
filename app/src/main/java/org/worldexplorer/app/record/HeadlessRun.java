package org.worldexplorer.app.record;

import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.WorldSession;

/** Drives a session through a script with no window: prompt events, then each chunk, told to a hook. */
public final class HeadlessRun {

  /** Told after each chunk. */
  public interface Progress {
    void chunkDone(int done, int total);
  }

  private HeadlessRun() {}

  /** Runs chunks {@code session.chunkIndex()} up to {@code script.chunks()}. */
  public static void run(WorldSession session, SessionScript script, GenerationHook hook, Progress progress)
      throws GraphRunException {
    int total = script.chunks();
    for (int c = session.chunkIndex(); c < total; c++) {
      for (PromptEvent event : script.prompts()) {
        if (event.chunk() == c) {
          session.setPrompt(event.prompt());
          hook.promptSet(session, event.prompt());
        }
      }
      ChunkResult result = script.poses() == null ? session.generateChunk(script.actions().get(c))
          : session.generateChunkAt(script.poses().get(c), script.actions().get(c));
      hook.chunkGenerated(session, script.actions().get(c), script.poses() == null ? null : script.poses().get(c),
          result);
      progress.chunkDone(c + 1, total);
    }
  }
}
