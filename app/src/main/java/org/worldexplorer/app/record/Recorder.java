package org.worldexplorer.app.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.FrameConverter;

/**
 * One recording: the video, the session log and the subtitles, written by the recorder's own thread. The
 * generation thread hands over each chunk ({@link #chunk}) and prompt event ({@link #prompt}) through a bounded
 * queue; frames travel in preallocated buffers, so recording allocates no frame memory while it runs.
 *
 * <p>Live recording never waits: when no frame buffer is free the frame is dropped and counted. Headless
 * rendering waits instead. A write error (a full disk, a folder that went away) stops the video and the log
 * where they are, which stays playable up to the last whole chunk, and {@link #error()} says what happened;
 * the generation thread goes on. Order: {@link #start}, then chunks and prompts, then {@link #finish}.
 */
public final class Recorder {

  /** What the queue carries, in order. */
  private sealed interface Work permits FrameSlot, ChunkDone, Cue, Finish {}

  /** A preallocated RGB8 frame buffer. */
  private static final class FrameSlot implements Work {
    final ByteBuffer pixels;

    FrameSlot(int bytes) {
      pixels = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
  }

  private record ChunkDone(ChunkEntry entry) implements Work {}

  private record Cue(PromptEvent event, double seconds) implements Work {}

  private record Finish(String status) implements Work {}

  private final RecordingFiles files;
  private final LogHeader header;
  private final int width;
  private final int height;
  private final boolean waitForSlots;
  private final BlockingQueue<FrameSlot> free;
  private final BlockingQueue<Work> work;
  private final Mp4Writer video;
  private final SessionLogWriter log;
  private final SubtitleWriter subtitles;
  private final Thread thread;
  private final List<ChunkEntry> written = new ArrayList<>();
  private final List<String> chunkFrameHashes = new ArrayList<>();
  private final MessageDigest digest = Hashes.sha256();
  private volatile String error = "";
  private volatile long framesWritten;
  private volatile long framesDropped;
  private long framesSubmitted;
  private int chunksLogged;
  private boolean videoOk = true;
  private boolean logOk = true;
  private boolean finished;

  private Recorder(RecordingFiles files, LogHeader header, VideoCodec codec, int queueFrames, boolean waitForSlots)
      throws IOException {
    this.files = files;
    this.header = header;
    this.width = header.width();
    this.height = header.height();
    this.waitForSlots = waitForSlots;
    free = new ArrayBlockingQueue<>(queueFrames);
    for (int i = 0; i < queueFrames; i++) {
      free.add(new FrameSlot(3 * width * height));
    }
    work = new ArrayBlockingQueue<>(queueFrames + 256);
    Mp4Writer openedVideo = Mp4Writer.open(files.video(), width, height, header.fps(), codec);
    SessionLogWriter openedLog = null;
    try {
      openedLog = new SessionLogWriter(files.log(), header);
      subtitles = new SubtitleWriter(files.subtitles());
    } catch (IOException | RuntimeException e) {
      openedVideo.abandon();
      if (openedLog != null) {
        openedLog.close();
      }
      throw e;
    }
    video = openedVideo;
    log = openedLog;
    thread = new Thread(this::run, "recorder");
    thread.setDaemon(true);
  }

  /**
   * Creates the files, writes the log's header and the session so far ({@code earlierChunks}, {@code
   * earlierPrompts}: what happened before the recording started, so the log can be replayed from the start), and
   * starts the recorder thread.
   *
   * @param promptNow the prompt in effect when the video starts, shown as the first subtitle when not empty
   * @param queueFrames how many frames may wait for the encoder
   * @param waitForSlots true (headless) waits for a free buffer; false (live) drops the frame instead
   * @throws IOException when a file cannot be created; nothing is left behind then
   */
  public static Recorder start(RecordingFiles files, LogHeader header, List<ChunkEntry> earlierChunks,
      List<PromptEvent> earlierPrompts, String promptNow, VideoCodec codec, int queueFrames, boolean waitForSlots)
      throws IOException {
    Recorder recorder;
    try {
      recorder = new Recorder(files, header, codec, queueFrames, waitForSlots);
    } catch (IOException | RuntimeException e) {
      files.deleteQuietly();
      throw e;
    }
    try {
      int p = 0;
      for (ChunkEntry entry : earlierChunks) {
        for (; p < earlierPrompts.size() && earlierPrompts.get(p).chunk() <= entry.chunk(); p++) {
          recorder.log.prompt(earlierPrompts.get(p));
        }
        recorder.log.chunk(entry);
        recorder.chunksLogged++;
      }
      for (; p < earlierPrompts.size(); p++) {
        recorder.log.prompt(earlierPrompts.get(p));
      }
      if (promptNow != null && !promptNow.isEmpty()) {
        recorder.subtitles.cue(0, promptNow);
      }
    } catch (IOException e) {
      recorder.abandon();
      files.deleteQuietly();
      throw e;
    }
    recorder.thread.start();
    return recorder;
  }

  public RecordingFiles files() {
    return files;
  }

  public LogHeader header() {
    return header;
  }

  /** Empty while all is well; otherwise what went wrong, for the panel or the terminal. */
  public String error() {
    return error;
  }

  public long framesWritten() {
    return framesWritten;
  }

  public long framesDropped() {
    return framesDropped;
  }

  /** Frames handed over so far (written, waiting, or dropped): the video's length in frames. */
  public long framesSubmitted() {
    return framesSubmitted;
  }

  /**
   * Hands over the first {@code keepFrames} frames of {@code result} (converted to RGB8 here, so the session
   * may reuse its buffers at once) and then the chunk's log entry. Generation thread.
   */
  public void chunk(ChunkResult result, int keepFrames, ChunkEntry entry) throws InterruptedException {
    int frames = Math.min(keepFrames, result.frameCount());
    for (int f = 0; f < frames; f++) {
      FrameSlot slot = waitForSlots ? free.take() : free.poll();
      framesSubmitted++;
      if (slot == null) {
        framesDropped++;
        continue;
      }
      slot.pixels.clear();
      FrameConverter.toRgb8(result.frames(), result.frameCount(), f, height, width, slot.pixels);
      work.put(slot);
    }
    work.put(new ChunkDone(entry));
  }

  /** Hands over a prompt event that applies from chunk {@code event.chunk()} on. Generation thread. */
  public void prompt(PromptEvent event) throws InterruptedException {
    work.put(new Cue(event, framesSubmitted / (double) header.fps()));
  }

  /**
   * Writes the end line (with {@code status}), closes the files, and waits for the recorder thread. Returns the
   * log entries written, with the hashes of their frames.
   */
  public List<ChunkEntry> finish(String status) {
    // Runs to the end even when the caller is interrupted (the window closing): the log needs its end line.
    boolean interrupted = false;
    while (!finished) {
      try {
        work.put(new Finish(status));
        finished = true;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(written);
  }

  private void run() {
    try {
      while (true) {
        Work item = work.take();
        if (item instanceof FrameSlot slot) {
          writeFrame(slot);
          free.add(slot);
        } else if (item instanceof ChunkDone done) {
          endChunk(done.entry());
        } else if (item instanceof Cue cue) {
          writeCue(cue);
        } else if (item instanceof Finish finish) {
          close(finish.status());
          return;
        }
      }
    } catch (InterruptedException e) {
      abandon();
    }
  }

  private void writeFrame(FrameSlot slot) {
    chunkFrameHashes.add(Hashes.ofBuffer(digest, slot.pixels));
    if (!videoOk) {
      return;
    }
    try {
      video.rgbInput().clear();
      video.rgbInput().put(slot.pixels.duplicate().clear());
      video.writeFrame();
      framesWritten++;
    } catch (IOException | RuntimeException e) {
      videoFailed(e);
    }
  }

  private void endChunk(ChunkEntry entry) {
    ChunkEntry done = entry.withFrames(chunkFrameHashes);
    chunkFrameHashes.clear();
    written.add(done);
    if (videoOk) {
      try {
        video.endFragment();
      } catch (IOException | RuntimeException e) {
        videoFailed(e);
      }
    }
    if (logOk) {
      try {
        log.chunk(done);
        chunksLogged++;
      } catch (IOException e) {
        logFailed(e);
      }
    }
  }

  private void writeCue(Cue cue) {
    if (!logOk) {
      return;
    }
    try {
      log.prompt(cue.event());
      subtitles.cue(cue.seconds(), cue.event().prompt());
    } catch (IOException e) {
      logFailed(e);
    }
  }

  private void close(String status) {
    if (videoOk) {
      try {
        video.close();
      } catch (IOException | RuntimeException e) {
        videoFailed(e);
      }
    }
    try {
      if (logOk) {
        log.end(chunksLogged, framesWritten, error.isEmpty() ? status : "error: " + error);
      }
    } catch (IOException e) {
      logFailed(e);
    }
    closeQuietly();
  }

  private void videoFailed(Exception e) {
    videoOk = false;
    video.abandon();
    report("recording stopped: " + e.getMessage() + "; the video keeps every chunk written before");
  }

  private void logFailed(IOException e) {
    logOk = false;
    report("the session log stopped: " + e.getMessage());
  }

  private void report(String message) {
    error = error.isEmpty() ? message : error;
  }

  private void abandon() {
    video.abandon();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      log.close();
    } catch (IOException e) {
      report("cannot close the session log: " + e.getMessage());
    }
    try {
      subtitles.close();
    } catch (IOException e) {
      report("cannot close the subtitles: " + e.getMessage());
    }
  }
}
