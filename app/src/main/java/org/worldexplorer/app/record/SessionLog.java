package org.worldexplorer.app.record;

import java.util.List;

/**
 * A session log as read back: header, chunks (consecutive from 0), prompt events in order, and whether the end
 * line was there (a log without it was cut off by a crash or a kill).
 *
 * @param header the first line
 * @param chunks every chunk, index i at position i
 * @param prompts prompt events, by chunk
 * @param complete whether the log ends with its end line
 */
public record SessionLog(LogHeader header, List<ChunkEntry> chunks, List<PromptEvent> prompts, boolean complete) {

  public SessionLog {
    chunks = List.copyOf(chunks);
    prompts = List.copyOf(prompts);
  }
}
