package org.worldexplorer.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.worldexplorer.app.record.SessionLogReader;
import org.worldexplorer.app.record.SessionSetup;
import org.worldexplorer.app.record.VideoCodec;
import org.worldexplorer.renderer.input.Control;
import org.worldexplorer.renderer.input.KeyBindings;
import org.worldexplorer.renderer.input.MovementInput;
import org.worldexplorer.renderer.pacing.FrameQueue;
import org.worldexplorer.renderer.viewer.Viewer;
import org.worldexplorer.renderer.viewer.ViewerListener;
import org.worldexplorer.renderer.viewer.ViewerStatus;
import org.worldexplorer.runtime.action.ActionLimits;
import org.worldexplorer.runtime.action.ActionSampler;
import org.worldexplorer.runtime.bundle.ActionSpec;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.session.StartImage;
import org.worldexplorer.runtime.session.WorldSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Opens the explorer window: walk with WASD and the mouse, type events, watch memory work. */
@Command(
    name = "explore",
    mixinStandardHelpOptions = true,
    description = "Open a window and walk through the world generated from a start image.")
final class ExploreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--image", paramLabel = "PNG|JPG", description = "Start image (default: the bundled meadow).")
  Path image;

  @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (default: the embedded reference-scene).")
  Path bundle;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt from the first chunk on.", defaultValue = "")
  String prompt;

  @Option(names = "--seed", paramLabel = "N", description = "Noise seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  long seed;

  @Option(names = "--device", paramLabel = "auto|cuda|cpu", defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  ExecutionProvider device;

  @Mixin CudaOptionsMixin cuda;

  @Option(names = "--fullscreen", description = "Start fullscreen (F11 toggles).")
  boolean fullscreen;

  @Option(names = "--mouse-sensitivity", paramLabel = "DEG",
      description = "Degrees of turn per pixel of mouse movement (default: the saved setting, else 0.15).")
  Double mouseSensitivity;

  private AppSettings settings;

  @Option(names = "--frames", paramLabel = "N", hidden = true, defaultValue = "0",
      description = "Close after showing N frames (tests and demos); 0 runs until the window closes.")
  long closeAfterFrames;

  @Option(names = "--screenshot-at", paramLabel = "N", hidden = true, split = ",",
      description = "Save a screenshot when frame N is shown (tests); a comma-separated list for several.")
  long[] screenshotAtFrames = {};

  @Option(names = "--hide-panel", description = "Start with the panel hidden (F1 toggles it).")
  boolean hidePanel;

  @Option(names = "--screenshot-dir", paramLabel = "DIR", hidden = true)
  Path screenshotDir;

  @Option(names = "--record-dir", paramLabel = "DIR",
      description = "Where recordings go (default: the XDG videos folder, worldexplorer/).")
  Path recordDir;

  @Option(names = "--record", description = "Start recording at once (F9 or the panel button toggles it).")
  boolean recordAtStart;

  @Option(names = "--codec", paramLabel = "h264|mpeg4", defaultValue = "h264",
      description = "Recording codec (default: ${DEFAULT-VALUE}, by openh264).")
  String codec;

  @Option(names = "--resume", paramLabel = "SESSION_LOG",
      description = "Replay a session log headless, then go on live from its end.")
  Path resume;

  private org.worldexplorer.app.record.RecordingController recording;
  private org.worldexplorer.app.record.SessionLog resumeLog;

  @Override
  public Integer call() {
    var err = spec.commandLine().getErr();
    SessionSettings sessionSettings = SessionSettings.defaults().withCuda(cuda.options());
    if (resume != null) {
      var conflict = cuda.conflictWithReplay("explore --resume");
      if (conflict.isPresent()) {
        err.println(conflict.get());
        return 2;
      }
      try {
        resumeLog = SessionLogReader.read(resume, true);
        bundle = SessionSetup.bundleFor(resumeLog.header(), bundle);
        image = SessionSetup.imageFor(resumeLog.header(), image);
        seed = resumeLog.header().seed();
        prompt = resumeLog.header().prompt();
        sessionSettings = SessionSetup.settings(resumeLog.header(), cuda.over(resumeLog.header().cuda()));
      } catch (IOException | RuntimeException e) {
        err.println("Cannot resume: " + e.getMessage());
        return 2;
      }
    }
    Path bundleDir = bundle != null ? bundle : AppPaths.defaultBundle();
    Path imagePath = image != null ? image : AppPaths.defaultImage();
    ExecutionProvider provider = device;
    BufferedImage startImage;
    try {
      startImage = StartImage.read(imagePath);
    } catch (IOException e) {
      err.println("Cannot use the start image: " + e.getMessage());
      return 1;
    }
    try (ModelBundle model = ModelBundle.open(bundleDir, provider, sessionSettings)) {
      recording = ExploreRecording.controller(ExploreRecording.folder(recordDir), bundleDir, model, sessionSettings,
          imagePath, seed, prompt, VideoCodec.parse(codec));
      recording.setRecording(recordAtStart);
      return explore(model, startImage);
    } catch (IOException e) {
      err.println("Cannot set up recording: " + e.getMessage());
      return 1;
    } catch (BundleException e) {
      err.println("Cannot open the model bundle " + bundleDir + ": " + e.getMessage());
      return 1;
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private int explore(ModelBundle model, BufferedImage startImage) {
    Manifest manifest = model.manifest();
    model.fallbackReason().ifPresent(reason -> spec.commandLine().getErr().println("Running on the CPU: " + reason));
    int width = manifest.video().width();
    int height = manifest.video().height();
    int chunkFrames = 4 * manifest.latent().latentsPerChunk();
    FrameQueue frames = new FrameQueue(2 * chunkFrames + 8, 3 * width * height);
    ActionSampler sampler = new ActionSampler(limits(manifest.actions()), manifest.latent().latentsPerChunk(), 1024);
    GenerationStats stats = new GenerationStats();
    Path spill = AppPaths.cache().resolve("latents");
    GenerationLoop loop = new GenerationLoop(ExploreRecording.sessions(model, startImage, seed, prompt, spill,
        recording, resumeLog, spec.commandLine().getErr()), sampler, frames, stats, chunkFrames);
    loop.hook = recording;
    Thread generation = new Thread(loop, "generation");
    generation.setDaemon(true);
    Path shots = screenshotDir != null ? screenshotDir : AppPaths.screenshots();
    KeyBindings bindings = loadBindings();
    StringBuilder problems = new StringBuilder();
    settings = AppSettings.load(AppSettings.file(), problems);
    spec.commandLine().getErr().print(problems);
    if (mouseSensitivity != null) {
      settings.mouseSensitivity = mouseSensitivity;
    }
    try (Viewer viewer = Viewer.open("worldexplorer: " + manifest.name(), width, height, manifest.video().fps(),
        frames, bindings, shots, fullscreen)) {
      ExplorerPanel panel = new ExplorerPanel(manifest, seed, prompt, stats, loop, settings);
      panel.recording = recording;
      Listener listener = new Listener(viewer, panel, loop, sampler);
      viewer.setPanelShown(!hidePanel);
      generation.start();
      DisplayStatistics display = new DisplayStatistics();
      listener.display = display;
      display.start();
      viewer.run(listener);
      spec.commandLine().getOut().println(display.summary(stats));
      for (ExplorerPanel.TextEvent e : panel.events()) {
        int chunk = stats.eventChunk[e.id];
        spec.commandLine().getOut().printf(java.util.Locale.ROOT,
            "Event '%s': %s, text %.2f ms (%s), Enter to screen %s%n", e.text,
            chunk < 0 ? "never applied" : "chunk " + chunk, stats.eventTextMillis[e.id],
            stats.eventEncoded[e.id] ? "encoded" : "cache hit",
            Double.isNaN(e.latencyMillis) ? "not shown" : String.format(java.util.Locale.ROOT, "%.0f ms",
                e.latencyMillis));
      }
      spec.commandLine().getOut().flush();
      saveSettings();
    } finally {
      loop.stop(); // no interrupt: it would close the latent spill file's channel mid-write
      try {
        generation.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stats.error.isEmpty() ? 0 : 1;
  }

  private void saveSettings() {
    try {
      settings.save(AppSettings.file());
    } catch (IOException e) {
      spec.commandLine().getErr().println("Could not save settings to " + AppSettings.file() + ": " + e.getMessage());
    }
  }

  private static ActionLimits limits(ActionSpec a) {
    return new ActionLimits(a.translationStep(), a.rotationStepDegrees(), a.maxTranslationStep(),
        a.maxRotationStepDegrees(), a.labelTranslationThreshold(), a.labelRotationThresholdDegrees());
  }

  private KeyBindings loadBindings() {
    Path file = AppPaths.config().resolve("keys.properties");
    if (!Files.isRegularFile(file)) {
      KeyBindings defaults = KeyBindings.defaults();
      try {
        defaults.save(file); // written once, so there is a file to edit
      } catch (IOException e) {
        spec.commandLine().getErr().println("Could not write " + file + ": " + e.getMessage());
      }
      return defaults;
    }
    try {
      return KeyBindings.load(file);
    } catch (IOException e) {
      spec.commandLine().getErr().println("Ignoring key bindings: " + e.getMessage());
      return KeyBindings.defaults();
    }
  }

  /** Turns the viewer's input into intents, measures key-to-motion latency, pauses on focus loss. */
  private final class Listener implements ViewerListener {
    private final Viewer viewer;
    private final ExplorerPanel panel;
    private final GenerationLoop loop;
    private final ActionSampler sampler;
    private int lastForward;
    private int lastRight;
    private int lastTurn;
    private int lastLook;
    private boolean lastFast;
    private long pressedAt;
    private boolean pausedByFocus;
    DisplayStatistics display;

    Listener(Viewer viewer, ExplorerPanel panel, GenerationLoop loop, ActionSampler sampler) {
      this.viewer = viewer;
      this.panel = panel;
      this.loop = loop;
      this.sampler = sampler;
    }

    @Override
    public void onInput(MovementInput in, long now) {
      display.onRefresh(viewer.status().refreshWorkNanos, panel.isPaused());
      boolean levelsChanged = in.forward != lastForward || in.right != lastRight || in.turn != lastTurn
          || in.look != lastLook || in.fast != lastFast;
      boolean looked = in.mouseDx != 0 || in.mouseDy != 0;
      if (levelsChanged || looked) {
        boolean wasIdle = lastForward == 0 && lastRight == 0 && lastTurn == 0 && lastLook == 0;
        boolean pressed = in.forward != 0 || in.right != 0 || in.turn != 0 || in.look != 0;
        // Presses before the first frame is on screen would time start-up, not the pipeline.
        if (wasIdle && pressed && pressedAt == 0 && viewer.status().framesShown > 0) {
          pressedAt = now;
        }
        sampler.record(now, in.forward, in.right, in.turn, in.look, (float) (in.mouseDx * settings.mouseSensitivity),
            (float) (-in.mouseDy * settings.mouseSensitivity), in.fast);
        lastForward = in.forward;
        lastRight = in.right;
        lastTurn = in.turn;
        lastLook = in.look;
        lastFast = in.fast;
      }
    }

    @Override
    public void onFrameShown(long frameNumber, long now) {
      display.onFrameShown(now);
      panel.onFrameShown(loop.eventId(frameNumber), now);
      if (pressedAt != 0 && loop.moved(frameNumber) && loop.sampledAt(frameNumber) >= pressedAt) {
        panel.keyToMotionMillis = (now - pressedAt) / 1e6;
        display.onKeyToMotion(panel.keyToMotionMillis);
        pressedAt = 0;
      }
      for (long at : screenshotAtFrames) {
        if (frameNumber == at) {
          viewer.requestScreenshot();
        }
      }
      if (closeAfterFrames > 0 && frameNumber + 1 >= closeAfterFrames) {
        viewer.requestClose();
      }
    }

    @Override
    public void drawPanel(ViewerStatus status) {
      panel.draw(status);
    }

    @Override
    public void onFocusChanged(boolean focused) {
      if (!focused && !panel.isPaused()) {
        pausedByFocus = true;
        panel.setPaused(true);
      } else if (focused && pausedByFocus) {
        pausedByFocus = false;
        panel.setPaused(false);
      }
    }

    @Override
    public void onControl(Control control) {
      if (control == Control.PAUSE) {
        panel.setPaused(!panel.isPaused());
      } else if (control == Control.TOGGLE_RECORDING) {
        recording.toggle();
      }
      for (int i = 0; i < Control.EVENTS.length; i++) {
        if (control == Control.EVENTS[i]) {
          panel.submitEvent(settings.eventPrompts[i], System.nanoTime());
        }
      }
    }

    @Override
    public void onScreenshot(Path file, Exception error) {
      spec.commandLine().getOut().println(error == null ? "Screenshot saved: " + file
          : "Screenshot failed (" + file + "): " + error.getMessage());
      spec.commandLine().getOut().flush();
    }
  }
}
