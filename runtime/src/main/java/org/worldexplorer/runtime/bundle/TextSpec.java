package org.worldexplorer.runtime.bundle;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Text conditioning: the streams in the order the DiT takes them.
 *
 * @param maxPromptChars longest prompt accepted before tokenising
 * @param promptCache folder inside the bundle with precomputed embeddings ({@code prompt_cache/index.json}), or
 *     null; required when a stream has no encoder graph
 * @param streams text streams
 */
public record TextSpec(int maxPromptChars, String promptCache, List<TextStream> streams) {

  public TextSpec {
    Require.atLeast(maxPromptChars, 1, "text.max_prompt_chars");
    if (promptCache != null) {
      Require.plainFile(promptCache, "text.prompt_cache");
    }
    streams = Require.list(streams, "text.streams");
    Set<String> names = new HashSet<>();
    for (TextStream stream : streams) {
      if (!names.add(stream.name())) {
        throw new IllegalArgumentException("text.streams has two streams named '" + stream.name() + "'");
      }
      if (!stream.hasEncoder() && promptCache == null) {
        throw new IllegalArgumentException("text stream '" + stream.name() + "' has graph null (no text encoder),"
            + " which needs text.prompt_cache: set its graph to \"" + stream.graphKey() + ".onnx\" or ship a"
            + " prompt_cache folder of precomputed embeddings and name it in text.prompt_cache");
      }
    }
  }

  /** The streams that have an encoder graph, in order. */
  public List<TextStream> encodedStreams() {
    return streams.stream().filter(TextStream::hasEncoder).toList();
  }
}
