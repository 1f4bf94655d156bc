package org.worldexplorer.app.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/** ffprobe checks for tests outside this package. */
public final class FfProbeAccess {

  private FfProbeAccess() {}

  public static void assertVideo(Path video, String codec, int width, int height, String rate, int frames)
      throws Exception {
    assertEquals(new FfProbe.Stream(codec, width, height, rate, frames), FfProbe.probe(video));
  }
}
