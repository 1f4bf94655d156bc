package org.worldexplorer.app.record;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * Renders a script to a video, its log and subtitles with no window (render, replay). The files are written under
 * {@code .partial} names and get their real names only when everything is written, so a failed or killed render
 * never leaves a file that looks complete.
 */
public final class OfflineRender {

  /** A render that could not finish; its partial files are gone. */
  public static final class RenderFailed extends Exception {
    RenderFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private OfflineRender() {}

  /**
   * Runs {@code script} from chunk 0 and writes the frames from {@code header.firstRecordedChunk()} on (at most
   * {@code header.keptFrames()} of the whole path, when not negative) into {@code out}.
   *
   * @return the log entries written, with their frames' hashes
   */
  public static List<ChunkEntry> render(ModelBundle model, BufferedImage image, SessionScript script,
      LogHeader header, RecordingFiles out, VideoCodec codec, Path spill, HeadlessRun.Progress progress)
      throws RenderFailed, InterruptedException {
    Path folder = out.video().getParent();
    if (!Files.isDirectory(folder)) {
      throw new RenderFailed("cannot write " + out.video() + ": " + folder + " is not a folder", null);
    }
    RecordingFiles partial = out.partial();
    RecordingController controller = new RecordingController(header, () -> partial, codec, true);
    controller.setRecording(header.firstRecordedChunk() == 0);
    boolean done = false;
    try (WorldSession session = new WorldSession(model, image, header.seed(), header.prompt(), header.spatialMemory(),
        spill)) {
      controller.sessionStarted(session);
      HeadlessRun.run(session, script, controller, (chunk, total) -> {
        if (chunk == header.firstRecordedChunk()) {
          controller.setRecording(true);
        }
        String error = chunk > header.firstRecordedChunk() ? failure(controller) : "";
        if (!error.isEmpty()) {
          throw new IllegalStateException(error);
        }
        progress.chunkDone(chunk, total);
      });
      List<ChunkEntry> entries = controller.finish("complete");
      String error = controller.lastMessage();
      if (!error.startsWith("saved ")) {
        throw new RenderFailed(error, null);
      }
      partial.moveTo(out);
      done = true;
      return entries;
    } catch (BundleException | GraphRunException e) {
      throw new RenderFailed("generation failed: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new RenderFailed(e.getMessage(), e);
    } catch (IOException e) {
      throw new RenderFailed("cannot finish " + out.video() + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        controller.finish("error");
        partial.deleteQuietly();
      }
    }
  }

  /** Why the recording is not running although it should be, or empty. */
  private static String failure(RecordingController controller) {
    if (!controller.isRecording()) {
      return controller.lastMessage();
    }
    return controller.recorderError();
  }
}
