package org.worldexplorer.app.record;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes prompt events as SubRip ({@code .srt}) cues, so a video player shows when each event was typed. Each cue
 * is written and flushed as it happens and shows for {@link #CUE_SECONDS}, so a killed recording keeps its cues.
 */
final class SubtitleWriter implements AutoCloseable {

  static final double CUE_SECONDS = 4.0;

  private final BufferedWriter out;
  private int cues;

  SubtitleWriter(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /** A cue at {@code seconds} into the video. */
  void cue(double seconds, String text) throws IOException {
    cues++;
    out.write(cues + "\n" + time(seconds) + " --> " + time(seconds + CUE_SECONDS) + "\n"
        + (text.isEmpty() ? "(prompt cleared)" : text.replace("\n", " ")) + "\n\n");
    out.flush();
  }

  /** SubRip time: {@code HH:MM:SS,mmm}. */
  static String time(double seconds) {
    long millis = Math.round(seconds * 1000);
    return String.format("%02d:%02d:%02d,%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
        millis % 1000);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
