package org.worldexplorer.renderer.input;

import org.lwjgl.glfw.GLFW;

/**
 * Key and mouse state recorded by the GLFW callbacks, read once per frame into a {@link MovementInput}. The
 * callbacks only record; decisions happen in {@link #sample}, which drops everything while the panel has the
 * keyboard (typing a prompt never walks the camera). GL thread only.
 */
public final class InputState {

  private final KeyBindings bindings;
  private final boolean[] down = new boolean[GLFW.GLFW_KEY_LAST + 1];
  private boolean pointerCaptured;
  private boolean hasLastCursor;
  private double lastCursorX;
  private double lastCursorY;
  private double pendingDx;
  private double pendingDy;

  public InputState(KeyBindings bindings) {
    this.bindings = bindings;
  }

  /**
   * From the key callback. A key belongs to whoever had the keyboard when it went down: pressed while the panel
   * takes text, it never moves the camera, even if the panel lets go before the key is released.
   *
   * @param panelHasKeyboard true while a text box in the panel has (or is about to get) focus
   */
  public void onKey(int key, int action, boolean panelHasKeyboard) {
    if (key < 0 || key >= down.length || action == GLFW.GLFW_REPEAT) {
      return;
    }
    down[key] = action == GLFW.GLFW_PRESS && !panelHasKeyboard;
  }

  /** From the cursor-position callback; movement counts only while the pointer is captured. */
  public void onCursor(double x, double y) {
    if (pointerCaptured && hasLastCursor) {
      pendingDx += x - lastCursorX;
      pendingDy += y - lastCursorY;
    }
    lastCursorX = x;
    lastCursorY = y;
    hasLastCursor = true;
  }

  public void setPointerCaptured(boolean captured) {
    pointerCaptured = captured;
    hasLastCursor = false;
    pendingDx = 0;
    pendingDy = 0;
  }

  public boolean isPointerCaptured() {
    return pointerCaptured;
  }

  /** Forgets held keys, for example when the window loses focus, so no key stays stuck down. */
  public void releaseAll() {
    java.util.Arrays.fill(down, false);
    pendingDx = 0;
    pendingDy = 0;
  }

  public boolean isDown(Control control) {
    return down[bindings.key(control)];
  }

  /**
   * Fills {@code out} with the current movement and consumes the mouse movement gathered since the last call.
   *
   * @param keyboardTakenByPanel true while a text box in the panel has focus
   */
  public void sample(boolean keyboardTakenByPanel, MovementInput out) {
    double dx = pendingDx;
    double dy = pendingDy;
    pendingDx = 0;
    pendingDy = 0;
    if (keyboardTakenByPanel) {
      out.forward = out.right = out.turn = out.look = 0;
      out.fast = false;
    } else {
      out.forward = axis(Control.MOVE_FORWARD, Control.MOVE_BACK);
      out.right = axis(Control.MOVE_RIGHT, Control.MOVE_LEFT);
      out.turn = axis(Control.TURN_RIGHT, Control.TURN_LEFT);
      out.look = axis(Control.LOOK_UP, Control.LOOK_DOWN);
      out.fast = isDown(Control.FAST);
    }
    out.mouseDx = pointerCaptured ? dx : 0;
    out.mouseDy = pointerCaptured ? dy : 0;
  }

  private int axis(Control positive, Control negative) {
    return (isDown(positive) ? 1 : 0) - (isDown(negative) ? 1 : 0);
  }
}
