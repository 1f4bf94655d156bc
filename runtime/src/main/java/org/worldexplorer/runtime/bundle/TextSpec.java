package org.worldexplorer.runtime.bundle;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Text conditioning: the streams in the order the DiT takes them.
 *
 * @param maxPromptChars longest prompt accepted before tokenising
 * @param streams text streams
 */
public record TextSpec(int maxPromptChars, List<TextStream> streams) {

  public TextSpec {
    Require.atLeast(maxPromptChars, 1, "text.max_prompt_chars");
    streams = Require.list(streams, "text.streams");
    Set<String> names = new HashSet<>();
    for (TextStream stream : streams) {
      if (!names.add(stream.name())) {
        throw new IllegalArgumentException("text.streams has two streams named '" + stream.name() + "'");
      }
    }
  }
}
