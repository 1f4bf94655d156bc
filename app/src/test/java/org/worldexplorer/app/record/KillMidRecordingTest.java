package org.worldexplorer.app.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a recording process with SIGKILL and checks that its video plays up to its last whole chunk. */
class KillMidRecordingTest {

  @TempDir Path dir;

  @Test
  void aKilledRecordingPlaysEveryWholeChunk() throws Exception {
    FfProbe.requireInstalled();
    Path video = dir.resolve("killed.mp4");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        RecordingChild.class.getName(), video.toString())).redirectErrorStream(true).start();
    int written = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("written ")) {
          written = Integer.parseInt(line.substring(8));
          if (written >= 4) {
            break;
          }
        }
      }
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no trailer
      child.waitFor();
    }
    assertEquals(137, child.exitValue(), "the child died of SIGKILL");
    assertTrue(written >= 4, "the child recorded 4 chunks before the kill");
    FfProbe.Stream s = FfProbe.probe(video);
    assertEquals("h264", s.codec());
    assertEquals(320, s.width());
    assertEquals(192, s.height());
    int chunks = (s.frames() - 13) / 16 + 1;
    assertEquals(13 + 16 * (chunks - 1), s.frames(), "whole chunks only: " + s.frames() + " frames");
    assertTrue(chunks >= written, "every chunk reported written plays: " + chunks + " < " + written);
    assertEquals("", FfProbe.decodeErrors(video), "the file decodes without errors");

    Path log = RecordingFiles.beside(video).log();
    SessionLogException e = assertThrows(SessionLogException.class, () -> SessionLogReader.read(log, false));
    assertTrue(e.getMessage().contains("--partial"), e.getMessage());
    SessionLog partial = SessionLogReader.read(log, true);
    assertTrue(partial.chunks().size() >= written, "the log keeps the written chunks");
  }
}
