package org.worldexplorer.app;

import imgui.ImDrawList;
import imgui.ImGui;
import imgui.flag.ImGuiCond;
import imgui.flag.ImGuiInputTextFlags;
import imgui.type.ImString;
import java.util.ArrayList;
import java.util.List;
import org.worldexplorer.renderer.viewer.ViewerStatus;
import org.worldexplorer.runtime.bundle.Manifest;

/**
 * The Dear ImGui panel: the bundle and its licence, the prompt box and event history, speed numbers and a plot,
 * key-to-motion latency, the minimap with the latents memory just retrieved, and pause / step / reset. GL thread
 * only; it sends what the person asks for to the generation loop.
 */
final class ExplorerPanel {

  private final Manifest manifest;
  private final long seed;
  private final GenerationStats stats;
  private final GenerationLoop loop;
  private final ImString promptInput = new ImString(512);
  private final List<TextEvent> events = new ArrayList<>();

  /** One typed event: its text, when Enter was pressed, and what became of it. */
  static final class TextEvent {
    final int id;
    final String text;
    final long enteredAt;
    boolean cancelled;
    double latencyMillis = Double.NaN;
    /** The history line, rebuilt only when the chunk, latency or cancellation changes. */
    private String line;
    private int lineChunk = -2;
    private double lineLatency = -1;
    private boolean lineCancelled;

    String line(int chunk, GenerationStats stats) {
      if (line == null || chunk != lineChunk || Double.compare(latencyMillis, lineLatency) != 0
          || cancelled != lineCancelled) {
        lineChunk = chunk;
        lineLatency = latencyMillis;
        lineCancelled = cancelled;
        String shown = text.isEmpty() ? "(cleared)" : text;
        if (chunk < 0) {
          line = shown + (cancelled ? "  - cancelled" : "  - waiting for the next chunk");
        } else {
          line = String.format("chunk %d: %s  (%s, text %.1f ms%s)", chunk, shown,
              Double.isNaN(latencyMillis) ? "on its way" : String.format("%.0f ms to screen", latencyMillis),
              stats.eventTextMillis[id], stats.eventEncoded[id] ? ", encoded" : ", cached");
        }
      }
      return line;
    }

    final String cancelLabel;

    TextEvent(int id, String text, long enteredAt) {
      this.id = id;
      this.cancelLabel = "cancel##" + id;
      this.text = text;
      this.enteredAt = enteredAt;
    }
  }
  private boolean paused;
  private final String initialPrompt;
  private final String initialPromptLine;
  volatile double keyToMotionMillis = Double.NaN;
  /** The record toggle and its status line; null hides them. */
  org.worldexplorer.app.record.RecordingController recording;

  private final AppSettings settings;
  private final float[] sensitivity = new float[1];

  ExplorerPanel(Manifest manifest, long seed, String initialPrompt, GenerationStats stats, GenerationLoop loop,
      AppSettings settings) {
    this.settings = settings;
    this.manifest = manifest;
    this.seed = seed;
    this.stats = stats;
    this.loop = loop;
    this.initialPrompt = initialPrompt == null ? "" : initialPrompt.strip();
    this.initialPromptLine = "chunk 0: " + this.initialPrompt;
  }

  boolean isPaused() {
    return paused;
  }

  void setPaused(boolean value) {
    if (paused != value) {
      paused = value;
      loop.send(new GenerationLoop.Command.Pause(value));
    }
  }

  private String header;
  private String seedLine;
  private String speedLine = "";
  private String chunkLine = "";
  private String latencyLine = "";
  private double shownDisplayFps = -1;
  private int shownChunks = -1;
  private double shownLatency = -1;

  /**
   * Formats the number lines only when their numbers change (once per chunk or per second), so drawing the
   * panel does not build new strings every refresh.
   */
  private void refreshNumberLines(ViewerStatus view) {
    if (view.displayFps != shownDisplayFps || stats.chunks != shownChunks) {
      shownDisplayFps = view.displayFps;
      shownChunks = stats.chunks;
      speedLine = String.format("display %.1f FPS   generation %.1f FPS", view.displayFps, stats.generationFps);
      chunkLine = String.format("chunk %.0f ms: select %.1f  dit %.1f  decode %.1f  host %.1f",
          stats.lastChunkMillis, stats.selectMillis, stats.ditMillis, stats.decodeMillis, stats.hostMillis);
    }
    if (Double.compare(keyToMotionMillis, shownLatency) != 0) {
      shownLatency = keyToMotionMillis;
      latencyLine = Double.isNaN(keyToMotionMillis) ? "key to motion: press W to measure"
          : String.format("key to motion %.0f ms", keyToMotionMillis);
    }
  }

  void draw(ViewerStatus view) {
    if (header == null) {
      header = manifest.name() + "  (" + manifest.licence().name() + ")";
      seedLine = "seed " + seed;
    }
    ImGui.setNextWindowPos(8, 8, ImGuiCond.FirstUseEver);
    ImGui.setNextWindowSize(400, 0, ImGuiCond.FirstUseEver);
    ImGui.begin("worldexplorer");
    ImGui.text(header);
    if (!manifest.learned()) {
      ImGui.textColored(1f, 0.8f, 0.3f, 1f, "Hand-built reference, not a learned model");
    }
    ImGui.text(seedLine);
    if (!stats.error.isEmpty()) {
      ImGui.textColored(1f, 0.3f, 0.3f, 1f, "Generation stopped: " + stats.error);
    }
    drawPrompt();
    ImGui.separator();
    refreshNumberLines(view);
    ImGui.text(speedLine);
    ImGui.text(chunkLine);
    ImGui.plotLines("chunk ms", stats.chunkMillisHistory, GenerationStats.HISTORY);
    ImGui.text(latencyLine);
    if (view.holdingLastFrame && !paused) {
      ImGui.textColored(1f, 0.6f, 0.2f, 1f, "generation is behind: holding the last frame");
    }
    ImGui.separator();
    if (ImGui.button(paused ? "Resume" : "Pause")) {
      setPaused(!paused);
    }
    ImGui.sameLine();
    if (ImGui.button("Step one chunk")) {
      loop.send(new GenerationLoop.Command.Step());
    }
    ImGui.sameLine();
    if (ImGui.button("Reset")) {
      loop.send(new GenerationLoop.Command.Reset());
    }
    RecordingButton.draw(recording);
    ImGui.text(view.pointerCaptured ? "mouse looks (Esc releases)" : "click the view to look with the mouse");
    sensitivity[0] = (float) settings.mouseSensitivity;
    if (ImGui.sliderFloat("mouse deg/px", sensitivity, (float) AppSettings.MIN_MOUSE_SENSITIVITY,
        (float) AppSettings.MAX_MOUSE_SENSITIVITY)) {
      settings.mouseSensitivity = sensitivity[0];
    }
    drawMinimap();
    ImGui.end();
  }

  /** Queues a text event as if typed; it takes effect at the next chunk. Returns its id. */
  int submitEvent(String text, long now) {
    if (events.size() >= GenerationStats.MAX_EVENTS) {
      stats.notice = "too many events in one session (" + GenerationStats.MAX_EVENTS + "); reset to type more";
      return -1;
    }
    TextEvent event = new TextEvent(events.size(), text.strip(), now);
    events.add(event);
    loop.send(new GenerationLoop.Command.Prompt(event.id, event.text));
    return event.id;
  }

  /** Called for every frame shown: the first frame made under an event ends that event's latency. */
  void onFrameShown(int eventIdInEffect, long now) {
    for (int i = events.size() - 1; i >= 0; i--) {
      TextEvent e = events.get(i);
      if (!Double.isNaN(e.latencyMillis)) {
        break;
      }
      if (!e.cancelled && e.id <= eventIdInEffect && stats.eventChunk[e.id] >= 0) {
        e.latencyMillis = (now - e.enteredAt) / 1e6;
        lastEventLatencyMillis = e.latencyMillis;
      }
    }
  }

  volatile double lastEventLatencyMillis = Double.NaN;

  List<TextEvent> events() {
    return events;
  }

  private String eventKeysHint;

  /** "keys: 1 night, 2 fog, ..." built once, the settings do not change while the window is open. */
  private String eventKeysHint() {
    if (eventKeysHint == null) {
      StringBuilder hint = new StringBuilder("event keys:");
      for (int i = 0; i < settings.eventPrompts.length; i++) {
        String p = settings.eventPrompts[i];
        hint.append(i == 0 ? " " : ", ").append(i + 1).append(' ').append(p.isEmpty() ? "(clear)" : p);
      }
      eventKeysHint = hint.toString();
    }
    return eventKeysHint;
  }

  private void drawPrompt() {
    ImGui.text("Event (Enter applies it at the next chunk):");
    if (ImGui.inputText("##prompt", promptInput, ImGuiInputTextFlags.EnterReturnsTrue)) {
      submitEvent(promptInput.get(), System.nanoTime());
      promptInput.set("");
    }
    if (!stats.notice.isEmpty()) {
      ImGui.textColored(1f, 0.8f, 0.3f, 1f, stats.notice);
    }
    ImGui.textDisabled(eventKeysHint());
    if (!initialPrompt.isEmpty()) {
      ImGui.bulletText(initialPromptLine);
    }
    for (int i = Math.max(0, events.size() - 5); i < events.size(); i++) {
      TextEvent e = events.get(i);
      int chunk = stats.eventChunk[e.id];
      ImGui.bulletText(e.line(chunk, stats));
      if (chunk < 0 && !e.cancelled) {
        ImGui.sameLine();
        if (ImGui.smallButton(e.cancelLabel)) {
          e.cancelled = true;
          loop.send(new GenerationLoop.Command.CancelPrompt(e.id));
        }
      }
    }
  }

  /** Top-down path (x right, z up the map); retrieved latents in orange, the current camera in white. */
  private void drawMinimap() {
    float size = 150f;
    ImGui.text("path (top view), memory picks in orange");
    float x0 = ImGui.getCursorScreenPosX();
    float y0 = ImGui.getCursorScreenPosY();
    ImGui.dummy(size, size);
    ImDrawList draw = ImGui.getWindowDrawList();
    draw.addRect(x0, y0, x0 + size, y0 + size, 0xff808080);
    int n = stats.pathLength;
    if (n == 0) {
      return;
    }
    float extent = 1f;
    for (int i = 0; i < n; i++) {
      extent = Math.max(extent, Math.max(Math.abs(stats.pathX[i]), Math.abs(stats.pathZ[i])));
    }
    float scale = (size / 2 - 6) / extent;
    float cx = x0 + size / 2;
    float cy = y0 + size / 2;
    for (int i = 1; i < n; i++) {
      draw.addLine(cx + stats.pathX[i - 1] * scale, cy - stats.pathZ[i - 1] * scale, cx + stats.pathX[i] * scale,
          cy - stats.pathZ[i] * scale, 0xffc0c0c0, 1.5f);
    }
    for (int k = 0; k < stats.retrievedCount; k++) {
      int i = stats.retrievedLatents[k];
      if (i < n) {
        draw.addCircleFilled(cx + stats.pathX[i] * scale, cy - stats.pathZ[i] * scale, 3f, 0xff3399ff);
      }
    }
    draw.addCircleFilled(cx + stats.pathX[n - 1] * scale, cy - stats.pathZ[n - 1] * scale, 4f, 0xffffffff);
  }
}
