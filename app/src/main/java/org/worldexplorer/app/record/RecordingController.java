package org.worldexplorer.app.record;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * Turns recording on and off for a running session. Any thread may ask ({@link #setRecording}, {@link #toggle});
 * the generation thread acts at the next chunk, so each recording holds whole chunks and its log replays from
 * the session's chunk 0 (the chunks before the video are logged without frames). A reset ends the recording and,
 * if recording is on, starts a new one with the new session. Errors never stop generation: they show in
 * {@link #status()}.
 */
public final class RecordingController implements GenerationHook {

  /** Where the next recording goes. */
  public interface Target {
    /** The files of the next recording (folders created); throws when there is nowhere to write. */
    RecordingFiles next() throws IOException;
  }

  private final LogHeader template;
  private final Target target;
  private final VideoCodec codec;
  private final boolean headless;
  private final SessionJournal journal = new SessionJournal();
  private volatile boolean wanted;
  private volatile Recorder recorder;
  private volatile String message = "";
  private long pathFrames;
  private RecordingFiles lastFiles;

  /**
   * @param template the header of every recording (its video name, source time and first chunk are filled in)
   * @param headless true waits for the encoder instead of dropping frames (render, replay)
   */
  public RecordingController(LogHeader template, Target target, VideoCodec codec, boolean headless) {
    this.template = template;
    this.target = target;
    this.codec = codec;
    this.headless = headless;
  }

  public void setRecording(boolean on) {
    wanted = on;
  }

  public void toggle() {
    wanted = !wanted;
  }

  /** Whether recording is asked for (it starts or stops at the next chunk). */
  public boolean isRecording() {
    return wanted;
  }

  /** One line for the panel: what is being recorded, or the last message (an error, where the files went). */
  public String status() {
    Recorder r = recorder;
    if (r == null) {
      return wanted ? "recording starts with the next chunk" : message;
    }
    long frames = r.framesSubmitted();
    long seconds = frames / r.header().fps();
    String line = String.format("REC %d:%02d  %s", seconds / 60, seconds % 60, r.files().video().getFileName());
    if (r.framesDropped() > 0) {
      line += "  (" + r.framesDropped() + " frames dropped: the encoder is behind)";
    }
    return r.error().isEmpty() ? line : r.error();
  }

  /** The files of the recording in progress or of the last one. */
  public RecordingFiles lastFiles() {
    return lastFiles;
  }

  @Override
  public void sessionStarted(WorldSession session) {
    finishQuietly("reset");
    journal.restart(session.prompt());
    pathFrames = 0;
  }

  @Override
  public void promptSet(WorldSession session, String prompt) {
    PromptEvent event = journal.prompt(session.chunkIndex(), prompt);
    Recorder r = recorder;
    if (r != null) {
      try {
        r.prompt(event);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void chunkGenerated(WorldSession session, DualAction[] actions, Matrix4dc[] poses, ChunkResult result) {
    ChunkEntry entry = journal.chunk(session, actions, poses, result);
    long framesBefore = pathFrames;
    pathFrames += result.frameCount();
    if (!wanted && recorder != null) {
      finishQuietly("stopped");
    }
    if (wanted && recorder == null) {
      begin(result.chunkIndex(), session.prompt());
    }
    Recorder r = recorder;
    if (r == null) {
      return;
    }
    long kept = template.keptFrames() < 0 ? result.frameCount()
        : Math.max(0, Math.min(result.frameCount(), template.keptFrames() - framesBefore));
    try {
      r.chunk(result, (int) kept, entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void begin(int chunk, String promptNow) {
    try {
      RecordingFiles files = target.next();
      String videoName = files.video().getFileName().toString().replaceFirst("\\.partial$", "");
      LogHeader header = template.recordingFrom(chunk, videoName, template.source(), Instant.now().toString());
      recorder = Recorder.start(files, header, journal.chunksBefore(chunk), journal.promptsUpTo(chunk), promptNow,
          codec, headless ? 32 : 64, headless);
      lastFiles = files;
      message = "";
    } catch (IOException | RuntimeException e) {
      wanted = false;
      message = "cannot record: " + e.getMessage();
    }
  }

  @Override
  public void stopped() {
    finishQuietly("stopped");
  }

  /**
   * Ends the recording in progress, if any, and returns its log entries with their frame hashes (empty when none).
   * A write error during the recording is in {@link #status()}.
   */
  public List<ChunkEntry> finish(String status) {
    Recorder r = recorder;
    if (r == null) {
      return List.of();
    }
    recorder = null;
    List<ChunkEntry> entries = r.finish(status);
    message = r.error().isEmpty() ? "saved " + r.files().video() : r.error();
    return entries;
  }

  /** What the last recording left: "saved FILE", an error, or empty. */
  public String lastMessage() {
    return message;
  }

  /** The error of the recording in progress, or empty. */
  public String recorderError() {
    Recorder r = recorder;
    return r == null ? "" : r.error();
  }

  private void finishQuietly(String status) {
    finish(status);
  }
}
