package org.worldexplorer.renderer.ui;

import imgui.ImGui;
import imgui.ImGuiIO;
import imgui.gl3.ImGuiImplGl3;

/**
 * Dear ImGui on the GLFW window: context, GLFW backend, GL3 backend. Lifecycle: constructor (after the window's
 * own input callbacks are installed, so ImGui chains to them), then per frame {@link #newFrame} ... draw calls ...
 * {@link #render}, then {@link #close}, which tears down in reverse. GL thread only.
 */
public final class ImGuiLayer implements AutoCloseable {

  private final CursorSafeImGuiGlfw platform = new CursorSafeImGuiGlfw();
  private final ImGuiImplGl3 renderer = new ImGuiImplGl3();
  private boolean closed;

  /**
   * @param windowHandle the GLFW window
   * @param iniFile where ImGui keeps window positions, or null to keep nothing (tests)
   */
  public ImGuiLayer(long windowHandle, String iniFile) {
    ImGui.createContext();
    ImGuiIO io = ImGui.getIO();
    io.setIniFilename(iniFile);
    ImGui.styleColorsDark();
    platform.init(windowHandle, true);
    renderer.init("#version 330 core");
  }

  public void newFrame() {
    renderer.newFrame(); // builds the font atlas texture on first use
    platform.newFrame();
    ImGui.newFrame();
  }

  public void render() {
    ImGui.render();
    renderer.renderDrawData(ImGui.getDrawData());
  }

  /** True when ImGui uses the keyboard (a text box has focus): keys must not move the camera then. */
  public boolean wantsKeyboard() {
    return ImGui.getIO().getWantCaptureKeyboard();
  }

  /** True when the pointer is over a panel: clicks and drags belong to ImGui then. */
  public boolean wantsMouse() {
    return ImGui.getIO().getWantCaptureMouse();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    renderer.shutdown();
    platform.shutdown();
    ImGui.destroyContext();
  }
}
