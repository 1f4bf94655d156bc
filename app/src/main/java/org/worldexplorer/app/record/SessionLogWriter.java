package org.worldexplorer.app.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Appends session log lines (docs/session-log.md), one JSON object per line, each flushed to the OS as it is
 * written: a killed process leaves every whole line, and at most the last one cut. One thread uses it.
 */
final class SessionLogWriter implements AutoCloseable {

  private final BufferedWriter out;

  /** Creates or replaces {@code file} and writes the header line. */
  SessionLogWriter(Path file, LogHeader header) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    line(SessionLogFormat.header(header));
  }

  void chunk(ChunkEntry entry) throws IOException {
    line(SessionLogFormat.chunk(entry));
  }

  void prompt(PromptEvent event) throws IOException {
    line(SessionLogFormat.prompt(event));
  }

  /** The last line: how many chunks and video frames the recording holds and why it ended. */
  void end(int chunks, long frames, String status) throws IOException {
    line(SessionLogFormat.end(chunks, frames, status));
  }

  private void line(ObjectNode node) throws IOException {
    out.write(SessionLogFormat.MAPPER.writeValueAsString(node));
    out.write('\n');
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
