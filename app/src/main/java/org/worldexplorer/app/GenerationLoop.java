package org.worldexplorer.app;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.joml.Matrix4f;
import org.worldexplorer.renderer.pacing.FrameQueue;
import org.worldexplorer.runtime.action.ActionSampler;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.FrameConverter;
import org.worldexplorer.runtime.session.StageTimings;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * The generation thread: at each chunk boundary it samples the person's input into one action per latent, runs
 * the world session, and writes the chunk's frames into the frame queue. It starts the next chunk only when the
 * queue runs low, so what the person does reaches the screen after about one chunk, not after a backlog.
 * Commands from the GL thread (pause, step, reset, prompt, quit) are drained at the top of each iteration.
 */
final class GenerationLoop implements Runnable {

  /** A request from the GL thread. */
  sealed interface Command {
    record Pause(boolean paused) implements Command {}

    record Step() implements Command {}

    /** A text event; it takes effect when the next chunk starts, unless cancelled before. */
    record Prompt(int eventId, String text) implements Command {}

    record CancelPrompt(int eventId) implements Command {}

    record Reset() implements Command {}
  }

  interface SessionFactory {
    WorldSession create() throws Exception;
  }

  private final SessionFactory sessions;
  private final ActionSampler sampler;
  private final FrameQueue frames;
  private final GenerationStats stats;
  private final int lowWaterFrames;
  private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
  private final DualAction[] actions;
  private final Matrix4f pose = new Matrix4f();
  private final java.util.ArrayDeque<Command.Prompt> pendingEvents = new java.util.ArrayDeque<>();
  private final int[] frameEventId;
  private int appliedEventId = -1;
  private final long[] frameSampledAt;
  private final boolean[] frameMoved;
  private volatile boolean running = true;
  private WorldSession session;
  private boolean paused;
  private int stepsRequested;
  private long frameNumber;
  /** Told about prompts and chunks so they can be recorded; set before the thread starts. */
  org.worldexplorer.app.record.GenerationHook hook = org.worldexplorer.app.record.GenerationHook.NONE;

  GenerationLoop(SessionFactory sessions, ActionSampler sampler, FrameQueue frames, GenerationStats stats,
      int lowWaterFrames) {
    this.sessions = sessions;
    this.sampler = sampler;
    this.frames = frames;
    this.stats = stats;
    this.lowWaterFrames = lowWaterFrames;
    this.actions = new DualAction[sampler.latentsPerChunk()];
    this.frameSampledAt = new long[4 * frames.capacity()];
    this.frameMoved = new boolean[4 * frames.capacity()];
    this.frameEventId = new int[4 * frames.capacity()];
  }

  void send(Command command) {
    commands.add(command);
  }

  void stop() {
    running = false;
  }

  /** When the chunk that produced frame {@code frameNumber} sampled its input, and whether its camera moved. */
  long sampledAt(long frameNumber) {
    return frameSampledAt[(int) (frameNumber % frameSampledAt.length)];
  }

  /** The newest text event in effect when frame {@code frameNumber} was generated (-1: none). */
  int eventId(long frameNumber) {
    return frameEventId[(int) (frameNumber % frameEventId.length)];
  }

  boolean moved(long frameNumber) {
    return frameMoved[(int) (frameNumber % frameMoved.length)];
  }

  @Override
  public void run() {
    try {
      session = sessions.create();
      sampler.start(System.nanoTime());
      while (running) {
        drainCommands();
        if ((paused && stepsRequested == 0) || frames.available() > lowWaterFrames) {
          Thread.sleep(2);
          continue;
        }
        if (stepsRequested > 0) {
          stepsRequested--;
        }
        generateOneChunk();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | Error e) {
      if (!running) {
        return; // shutting down: whatever was cut short does not matter
      }
      // The panel shows the message; the terminal gets the whole story for a bug report.
      stats.error = e.getMessage() == null ? e.toString() : e.getMessage();
      System.err.println("Generation stopped: " + stats.error);
      e.printStackTrace();
    } finally {
      hook.stopped();
      if (session != null) {
        session.close();
      }
    }
  }

  private void drainCommands() throws Exception {
    Command command;
    while ((command = commands.poll()) != null) {
      if (command instanceof Command.Pause p) {
        paused = p.paused();
        stats.paused = paused;
        if (!paused) {
          sampler.start(System.nanoTime()); // input from the pause does not count
        }
      } else if (command instanceof Command.Step) {
        stepsRequested++;
      } else if (command instanceof Command.Prompt p) {
        pendingEvents.addLast(p);
      } else if (command instanceof Command.CancelPrompt c) {
        pendingEvents.removeIf(p -> p.eventId() == c.eventId());
      } else if (command instanceof Command.Reset) {
        String current = session.prompt();
        session.close();
        session = null;
        frames.clear();
        session = sessions.create();
        session.setPrompt(current);
        hook.promptSet(session, current);
        sampler.start(System.nanoTime());
        stats.chunks = 0;
        stats.pathLength = 0;
      }
    }
  }

  private void applyPendingEvents() throws Exception {
    Command.Prompt event;
    while ((event = pendingEvents.pollFirst()) != null) {
      long start = System.nanoTime();
      boolean encoded = session.setPrompt(event.text());
      long nanos = System.nanoTime() - start;
      hook.promptSet(session, event.text());
      appliedEventId = event.eventId();
      stats.eventApplied(event.eventId(), session.chunkIndex(), encoded, nanos, session.promptNotice());
    }
  }

  private void generateOneChunk() throws Exception {
    applyPendingEvents();
    long sampledAt = System.nanoTime();
    sampler.sampleChunk(sampledAt, actions);
    boolean moved = false;
    for (DualAction a : actions) {
      moved |= a.forward() != 0 || a.right() != 0 || a.yawDegrees() != 0 || a.pitchDegrees() != 0;
    }
    ChunkResult result = session.generateChunk(actions);
    hook.chunkGenerated(session, actions, null, result);
    publishStats(result);
    int height = session.videoHeight();
    int width = session.videoWidth();
    for (int f = 0; f < result.frameCount() && running; f++) {
      ByteBuffer slot = null;
      while (slot == null && running) {
        slot = frames.beginWrite(100, TimeUnit.MILLISECONDS);
      }
      if (slot == null) {
        return;
      }
      FrameConverter.toRgb8(result.frames(), result.frameCount(), f, height, width, slot);
      int tag = (int) (frameNumber % frameSampledAt.length);
      frameSampledAt[tag] = sampledAt;
      frameMoved[tag] = moved && f > 0;
      frameEventId[tag] = appliedEventId;
      frames.commitWrite(frameNumber++);
    }
  }

  private void publishStats(ChunkResult result) {
    StageTimings t = result.timings();
    stats.selectMillis = t.selectNanos / 1e6;
    stats.ditMillis = t.ditNanos / 1e6;
    stats.decodeMillis = t.decodeNanos / 1e6;
    stats.hostMillis = t.hostNanos / 1e6;
    stats.lastChunkMillis = t.totalNanos / 1e6;
    stats.generationFps = result.frameCount() / (t.totalNanos / 1e9);
    stats.chunkMillisHistory[stats.chunks % GenerationStats.HISTORY] = (float) (t.totalNanos / 1e6);
    int count = Math.min(result.selectedCount(), stats.retrievedLatents.length);
    int retrieved = 0;
    for (int i = 0; i < count; i++) {
      if (result.retrieved()[i]) {
        stats.retrievedLatents[retrieved++] = result.selected()[i];
      }
    }
    stats.retrievedCount = retrieved;
    int size = Math.min(session.track().size(), stats.pathX.length);
    for (int i = stats.pathLength; i < size; i++) {
      session.track().cameraToWorld(i, pose);
      stats.pathX[i] = pose.m30();
      stats.pathZ[i] = pose.m32();
    }
    stats.pathLength = size;
    stats.chunks++;
  }
}
