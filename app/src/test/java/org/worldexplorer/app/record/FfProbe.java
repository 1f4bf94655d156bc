package org.worldexplorer.app.record;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code ffprobe} on a video. Tests that need it are skipped when it is missing, but fail when the
 * environment variable {@code WORLDEXPLORER_REQUIRE_ALL_TESTS} is set (CI must not skip them silently).
 */
final class FfProbe {

  /** What ffprobe found in the first video stream; {@code frames} is counted by decoding every packet. */
  record Stream(String codec, int width, int height, String frameRate, int frames) {}

  private FfProbe() {}

  static void requireInstalled() {
    boolean present = Files.isExecutable(Path.of("/usr/bin/ffprobe"));
    if (!present && System.getenv("WORLDEXPLORER_REQUIRE_ALL_TESTS") != null) {
      fail("ffprobe is missing and WORLDEXPLORER_REQUIRE_ALL_TESTS is set: apt-get install ffmpeg");
    }
    Assumptions.assumeTrue(present, "ffprobe is not installed (apt-get install ffmpeg)");
  }

  static Stream probe(Path video) throws IOException, InterruptedException {
    requireInstalled();
    Process p = new ProcessBuilder(List.of("/usr/bin/ffprobe", "-v", "error", "-select_streams", "v:0",
        "-count_frames", "-show_entries", "stream=codec_name,width,height,r_frame_rate,nb_read_frames",
        "-of", "json", video.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffprobe failed on " + video + ": " + out);
    }
    JsonNode streams = new ObjectMapper().readTree(out).path("streams");
    if (streams.isEmpty()) {
      throw new IOException("ffprobe found no video stream in " + video + ": " + out);
    }
    JsonNode s = streams.get(0);
    return new Stream(s.path("codec_name").asText(), s.path("width").asInt(), s.path("height").asInt(),
        s.path("r_frame_rate").asText(), s.path("nb_read_frames").asInt(-1));
  }

  /** Decodes the whole file and returns ffmpeg's error output (empty when it decodes cleanly). */
  static String decodeErrors(Path video) throws IOException, InterruptedException {
    requireInstalled();
    Process p = new ProcessBuilder(List.of("/usr/bin/ffmpeg", "-v", "error", "-i", video.toString(), "-f", "null",
        "-")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return p.exitValue() == 0 ? out.strip() : "exit " + p.exitValue() + ": " + out;
  }
}
