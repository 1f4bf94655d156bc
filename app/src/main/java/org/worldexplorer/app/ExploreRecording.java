package org.worldexplorer.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.worldexplorer.app.record.HeadlessRun;
import org.worldexplorer.app.record.ProgressBar;
import org.worldexplorer.app.record.RecordingController;
import org.worldexplorer.app.record.RecordingFiles;
import org.worldexplorer.app.record.SessionLog;
import org.worldexplorer.app.record.SessionScript;
import org.worldexplorer.app.record.SessionSetup;
import org.worldexplorer.app.record.VideoCodec;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * Recording and resuming for {@code explore}: the record toggle's controller (recordings named by time in the
 * videos folder) and the session factory, which on {@code --resume} first replays the log headless so the window
 * goes on live from the log's last chunk. A reset afterwards starts fresh from the log's image, seed and prompt.
 */
final class ExploreRecording {

  private ExploreRecording() {}

  /** Recordings go to {@code folder}, or to the XDG videos folder's {@code worldexplorer/}. */
  static Path folder(Path folder) {
    return folder != null ? folder : AppPaths.videos();
  }

  static RecordingController controller(Path folder, Path bundleDir, ModelBundle model, SessionSettings settings,
      Path image, long seed, String prompt, VideoCodec codec) throws IOException {
    var header = SessionSetup.header("explore", bundleDir, model, settings, image, seed, prompt, "actions", -1);
    return new RecordingController(header, () -> {
      Files.createDirectories(folder);
      return RecordingFiles.timestamped(folder, LocalDateTime.now());
    }, codec, false);
  }

  /** Makes sessions for the generation loop and tells the recording about each; the first replays {@code resume}. */
  static GenerationLoop.SessionFactory sessions(ModelBundle model, BufferedImage image, long seed, String prompt,
      Path spill, RecordingController recording, SessionLog resume, PrintWriter err) {
    boolean[] resumed = {resume == null};
    return () -> {
      Files.createDirectories(spill);
      WorldSession session = new WorldSession(model, image, seed, prompt, true, spill, AppPaths.cache().resolve("text"));
      recording.sessionStarted(session);
      if (!session.cachedPrompts().isEmpty()) {
        // A bundle without a text encoder for some stream plays only the prompts it ships embeddings for.
        err.println("This bundle plays only its cached prompts: " + String.join(" | ", session.cachedPrompts()));
        err.flush();
      }
      if (!resumed[0]) {
        resumed[0] = true;
        HeadlessRun.run(session, SessionScript.of(resume), recording, new ProgressBar(err, "chunks replayed"));
        err.println("Resumed at chunk " + session.chunkIndex() + "; going on live");
        err.flush();
      }
      return session;
    };
  }
}
