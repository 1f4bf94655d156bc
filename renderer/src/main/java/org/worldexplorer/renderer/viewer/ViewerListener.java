package org.worldexplorer.renderer.viewer;

import java.nio.file.Path;
import org.worldexplorer.renderer.input.MovementInput;

/** What the {@link Viewer} tells the app, always on the GL thread. Implementations must return quickly. */
public interface ViewerListener {

  /** Once per display refresh: the person's current movement. {@code input} is reused; copy what you keep. */
  void onInput(MovementInput input, long nowNanos);

  /** A new generated frame is on screen. */
  void onFrameShown(long frameNumber, long nowNanos);

  /** Inside the ImGui frame: draw the panel (only called while the panel is shown). */
  void drawPanel(ViewerStatus status);

  /** The window gained or lost focus (the app pauses generation on loss). */
  void onFocusChanged(boolean focused);

  /** A control key was pressed that the viewer does not handle itself (record, pause). */
  void onControl(org.worldexplorer.renderer.input.Control control);

  /** A screenshot was written, or failed with {@code error} (null on success). */
  void onScreenshot(Path file, Exception error);
}
