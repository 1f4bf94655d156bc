package org.worldexplorer.app.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads an events file (docs/events.md): a JSON list of {@code {"chunk": N, "prompt": "..."}}, each prompt
 * applying from chunk N on. Errors name the file, the entry and the field.
 */
public final class PromptEventsFile {

  private PromptEventsFile() {}

  public static List<PromptEvent> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "events file not found");
    }
    JsonNode root;
    try {
      root = SessionLogFormat.MAPPER.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IOException(file + ": an events file is a JSON list like [{\"chunk\": 2, \"prompt\": \"snow\"}]");
    }
    List<PromptEvent> events = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode e = root.get(i);
      JsonNode chunk = e.get("chunk");
      JsonNode prompt = e.get("prompt");
      if (chunk == null || !chunk.canConvertToInt() || !chunk.isIntegralNumber() || chunk.asInt() < 0) {
        throw new IOException(file + ": event " + i + " needs \"chunk\": a whole number, 0 or more");
      }
      if (prompt == null || !prompt.isTextual()) {
        throw new IOException(file + ": event " + i + " needs \"prompt\": a string (\"\" clears the prompt)");
      }
      events.add(new PromptEvent(chunk.asInt(), prompt.asText()));
    }
    events.sort(Comparator.comparingInt(PromptEvent::chunk));
    return events;
  }
}
