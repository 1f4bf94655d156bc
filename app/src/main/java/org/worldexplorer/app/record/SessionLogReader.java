package org.worldexplorer.app.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a session log and checks that it holds one whole session: a header first, chunks numbered 0, 1, 2...,
 * prompt events that do not point back in time, and nothing after the end line. A log whose last line is cut or
 * which has no end line (the recording was killed) is refused unless {@code allowCutOff}; then its whole chunks
 * are used and the cut line is ignored.
 */
public final class SessionLogReader {

  private SessionLogReader() {}

  public static SessionLog read(Path file, boolean allowCutOff) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no session log there");
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean lastLineWhole = text.endsWith("\n");
    String[] lines = text.split("\n", -1);
    int count = lastLineWhole ? lines.length - 1 : lines.length;
    String name = file.toString();
    if (count == 0 || text.isBlank()) {
      throw new SessionLogException(name + " is empty; a session log starts with a header line");
    }
    LogHeader header = null;
    List<ChunkEntry> chunks = new ArrayList<>();
    List<PromptEvent> prompts = new ArrayList<>();
    boolean ended = false;
    for (int i = 0; i < count; i++) {
      SessionLogFormat.Where where = new SessionLogFormat.Where(name, i + 1);
      boolean last = i == count - 1;
      if (ended) {
        throw where.error("there is more after the end line; a log holds one session");
      }
      JsonNode node;
      try {
        node = SessionLogFormat.MAPPER.readTree(lines[i]);
      } catch (JsonProcessingException e) {
        if (last && !lastLineWhole && header != null) {
          if (allowCutOff) {
            break;
          }
          throw where.error("the last line is cut off: the recording was interrupted (a crash or a kill). It "
              + "holds " + chunks.size() + " whole chunks; pass --partial to use them");
        }
        throw where.error("not valid JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw where.error("each line must be a JSON object");
      }
      String type = node.path("type").asText();
      if (header == null) {
        if (!type.equals("header")) {
          throw where.error("the first line must be the header, not '" + type + "'");
        }
        header = SessionLogFormat.readHeader(node, where);
        continue;
      }
      switch (type) {
        case "chunk" -> {
          ChunkEntry entry = SessionLogFormat.readChunk(node, where);
          if (entry.chunk() != chunks.size()) {
            throw where.error("chunk " + entry.chunk() + " comes where chunk " + chunks.size()
                + " belongs; the log is damaged");
          }
          if (entry.actions().size() != header.latentsPerChunk()) {
            throw where.error("chunk " + entry.chunk() + " has " + entry.actions().size() + " actions; the header "
                + "says " + header.latentsPerChunk() + " latents per chunk");
          }
          chunks.add(entry);
        }
        case "prompt" -> {
          PromptEvent event = SessionLogFormat.readPrompt(node, where);
          if (event.chunk() != chunks.size()) {
            throw where.error("a prompt event for chunk " + event.chunk() + " comes before chunk " + chunks.size()
                + "; events are written just before the chunk they apply to");
          }
          prompts.add(event);
        }
        case "end" -> ended = true;
        default -> throw where.error("unknown line type '" + type + "'; expected chunk, prompt or end");
      }
    }
    if (header == null) {
      throw new SessionLogException(name + ": the header line is cut off; nothing can be replayed");
    }
    if (!ended && !allowCutOff) {
      throw new SessionLogException(name + " has no end line: the recording was interrupted (a crash or a kill). "
          + "It holds " + chunks.size() + " whole chunks; pass --partial to use them");
    }
    return new SessionLog(header, chunks, prompts, ended);
  }
}
