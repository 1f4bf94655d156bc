package org.worldexplorer.renderer.ui;

import static org.lwjgl.glfw.GLFW.GLFW_ARROW_CURSOR;
import static org.lwjgl.glfw.GLFW.glfwCreateStandardCursor;

import imgui.glfw.ImGuiImplGlfw;

/**
 * The imgui-java GLFW backend, made safe where the X server has no cursor theme (Xvfb): GLFW then returns no
 * cursor for some shapes, and the stock backend's shutdown fails on those empty slots. Each empty slot gets its
 * own arrow cursor, which shutdown destroys like the others.
 */
final class CursorSafeImGuiGlfw extends ImGuiImplGlfw {

  @Override
  protected Data newData() {
    return new CursorSafeData();
  }

  @Override
  public boolean init(long windowId, boolean installCallbacks) {
    boolean ok = super.init(windowId, installCallbacks);
    ((CursorSafeData) data).fillMissingCursors();
    return ok;
  }

  private static final class CursorSafeData extends Data {
    void fillMissingCursors() {
      for (int i = 0; i < mouseCursors.length; i++) {
        if (mouseCursors[i] == 0) {
          mouseCursors[i] = glfwCreateStandardCursor(GLFW_ARROW_CURSOR);
        }
      }
    }
  }
}
