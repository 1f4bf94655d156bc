package org.worldexplorer.renderer.viewer;

import static org.lwjgl.glfw.GLFW.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.worldexplorer.renderer.gl.FrameTexture;
import org.worldexplorer.renderer.gl.GlWindow;
import org.worldexplorer.renderer.gl.Screenshot;
import org.worldexplorer.renderer.input.Control;
import org.worldexplorer.renderer.input.InputState;
import org.worldexplorer.renderer.input.KeyBindings;
import org.worldexplorer.renderer.input.MovementInput;
import org.worldexplorer.renderer.pacing.FramePacer;
import org.worldexplorer.renderer.pacing.FrameQueue;
import org.worldexplorer.renderer.ui.ImGuiLayer;

/**
 * The explorer's GL thread: shows frames from a {@link FrameQueue} at a fixed rate, turns keys and mouse into
 * {@link MovementInput}, draws the ImGui panel, and handles the window's own keys (fullscreen, screenshot, panel,
 * pointer release). Lifecycle: {@link #open}, {@link #run} until the window closes, {@link #close} (reverse
 * order of creation). The thread that opens it must run it.
 */
public final class Viewer implements AutoCloseable {

  private static final DateTimeFormatter SHOT_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final GlWindow window;
  private final FrameTexture texture;
  private final ImGuiLayer ui;
  private final InputState input;
  private final KeyBindings bindings;
  private final FrameQueue frames;
  private final FramePacer pacer;
  private final Path screenshotFolder;
  private final MovementInput movement = new MovementInput();
  private final ViewerStatus status = new ViewerStatus();
  private final int[] size = new int[2];
  private ViewerListener listener;
  private boolean panelShown = true;
  private boolean screenshotRequested;
  private boolean panelFocusPending;
  private boolean clickPending;
  private long fpsWindowStart;
  private int fpsWindowFrames;

  private Viewer(GlWindow window, int frameWidth, int frameHeight, double fps, FrameQueue frames,
      KeyBindings bindings, Path screenshotFolder) {
    this.window = window;
    this.frames = frames;
    this.bindings = bindings;
    this.screenshotFolder = screenshotFolder;
    this.pacer = new FramePacer(fps);
    this.input = new InputState(bindings);
    this.texture = new FrameTexture(frameWidth, frameHeight, true);
    installCallbacks(); // before ImGui, so ImGui chains to them
    this.ui = new ImGuiLayer(window.handle(), null);
  }

  /**
   * Opens the window for frames of {@code frameWidth} x {@code frameHeight} RGB8 from {@code frames}, shown at
   * {@code fps}. Screenshots go to {@code screenshotFolder}.
   */
  public static Viewer open(String title, int frameWidth, int frameHeight, double fps, FrameQueue frames,
      KeyBindings bindings, Path screenshotFolder, boolean fullscreen) {
    if (frames.frameBytes() != 3 * frameWidth * frameHeight) {
      throw new IllegalArgumentException("frame queue slots hold " + frames.frameBytes() + " bytes, a "
          + frameWidth + "x" + frameHeight + " RGB frame needs " + 3 * frameWidth * frameHeight);
    }
    int scale = Math.max(1, Math.min(1280 / frameWidth, 720 / frameHeight));
    GlWindow window = GlWindow.open(title, frameWidth * scale, frameHeight * scale, true);
    try {
      Viewer viewer = new Viewer(window, frameWidth, frameHeight, fps, frames, bindings, screenshotFolder);
      if (fullscreen) {
        window.toggleFullscreen();
      }
      return viewer;
    } catch (RuntimeException e) {
      window.close();
      throw e;
    }
  }

  private void installCallbacks() {
    long h = window.handle();
    glfwSetKeyCallback(h, (w, key, scancode, action, mods) -> onKey(key, action));
    glfwSetCursorPosCallback(h, (w, x, y) -> input.onCursor(x, y));
    glfwSetMouseButtonCallback(h, (w, button, action, mods) -> {
      if (button == GLFW_MOUSE_BUTTON_LEFT && action == GLFW_PRESS && !input.isPointerCaptured()) {
        // Whether the click is on the panel is known only after ImGui's next frame has seen it (the pointer may
        // have moved in the same batch of events); until then keys count as typed into the panel.
        clickPending = true;
        panelFocusPending = true;
      }
    });
    glfwSetWindowFocusCallback(h, (w, focused) -> {
      if (!focused) {
        input.releaseAll();
        setPointerCaptured(false);
      }
      if (listener != null) {
        listener.onFocusChanged(focused);
      }
    });
  }

  private void onKey(int key, int action) {
    boolean typing = ui.wantsKeyboard() || panelFocusPending;
    input.onKey(key, action, typing);
    if (action != GLFW_PRESS || typing) {
      return;
    }
    Control control = bindings.controlFor(key);
    if (control == null) {
      return;
    }
    switch (control) {
      case TOGGLE_FULLSCREEN -> window.toggleFullscreen();
      case SCREENSHOT -> screenshotRequested = true;
      case TOGGLE_PANEL -> panelShown = !panelShown;
      case RELEASE_POINTER -> setPointerCaptured(false);
      case TOGGLE_RECORDING, PAUSE, EVENT_1, EVENT_2, EVENT_3, EVENT_4 -> {
        if (listener != null) {
          listener.onControl(control);
        }
      }
      default -> { }
    }
  }

  private void setPointerCaptured(boolean captured) {
    glfwSetInputMode(window.handle(), GLFW_CURSOR, captured ? GLFW_CURSOR_DISABLED : GLFW_CURSOR_NORMAL);
    input.setPointerCaptured(captured);
  }

  /**
   * Runs the display loop until the window is closed or {@link #requestClose} is called. Refreshes are capped at
   * {@link #MAX_REFRESH_HZ}: without vsync (software GL, Xvfb) the loop would otherwise spin and take the CPU the
   * generation thread needs.
   */
  public void run(ViewerListener listener) {
    this.listener = listener;
    fpsWindowStart = System.nanoTime();
    long refreshInterval = 1_000_000_000L / MAX_REFRESH_HZ;
    long next = System.nanoTime();
    while (!window.shouldClose()) {
      long now = System.nanoTime();
      if (now - next < 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - now);
        continue;
      }
      next = Math.max(next + refreshInterval, now);
      refresh(now);
    }
  }

  /** Upper bound on display refreshes per second; a multiple of 24 so frames land on refreshes evenly. */
  public static final int MAX_REFRESH_HZ = 120;

  /** One refresh at a given clock reading, so tests can drive the viewer with a synthetic clock. */
  public void refreshForTest(ViewerListener listener, long now) {
    this.listener = listener;
    refresh(now);
  }

  private void refresh(long now) {
    window.pollEvents();
    input.sample(ui.wantsKeyboard(), movement);
    if (listener != null) {
      listener.onInput(movement, now);
    }
    int available = frames.available();
    if (pacer.shouldAdvance(now, available)) {
      long frameNumber = frames.peekFrameNumber();
      ByteBuffer frame = frames.peek();
      texture.upload(frame);
      frames.release();
      fpsWindowFrames++;
      if (listener != null) {
        listener.onFrameShown(frameNumber, now);
      }
    }
    if (now - fpsWindowStart >= 1_000_000_000L) {
      status.displayFps = fpsWindowFrames * 1e9 / (now - fpsWindowStart);
      fpsWindowStart = now;
      fpsWindowFrames = 0;
    }
    status.holdingLastFrame = pacer.isHolding();
    status.framesQueued = frames.available();
    status.framesShown = pacer.shownFrames();
    status.pointerCaptured = input.isPointerCaptured();
    status.fullscreen = window.isFullscreen();

    window.framebufferSize(size);
    GlWindow.clear(0f, 0f, 0f);
    texture.draw(size[0], size[1]);
    ui.newFrame();
    if (clickPending && !ui.wantsMouse()) {
      setPointerCaptured(true); // the click was on the view, not the panel
    }
    clickPending = false;
    panelFocusPending = false; // from here on ImGui's own keyboard flag is current
    if (panelShown && listener != null) {
      listener.drawPanel(status);
    }
    ui.render();
    if (screenshotRequested) {
      screenshotRequested = false;
      writeScreenshot();
    }
    window.swapBuffers();
    status.refreshWorkNanos = System.nanoTime() - now;
  }

  private void writeScreenshot() {
    Path file = screenshotFolder.resolve("worldexplorer-" + LocalDateTime.now().format(SHOT_NAME) + ".png");
    Exception error = null;
    try {
      Screenshot.writePng(Screenshot.capture(size[0], size[1]), file);
    } catch (Exception e) {
      error = e;
    }
    if (listener != null) {
      listener.onScreenshot(file, error);
    }
  }

  /** Asks for a screenshot at the end of the next refresh (the F12 key does the same). */
  public void requestScreenshot() {
    screenshotRequested = true;
  }

  public void requestClose() {
    window.requestClose();
  }

  /** Shows or hides the ImGui panel (F1 toggles it too). */
  public void setPanelShown(boolean shown) {
    panelShown = shown;
  }

  public ViewerStatus status() {
    return status;
  }

  @Override
  public void close() {
    ui.close();
    texture.close();
    window.close();
  }
}
