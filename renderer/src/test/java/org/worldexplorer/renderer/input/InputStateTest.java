package org.worldexplorer.renderer.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.glfw.GLFW.*;

import org.junit.jupiter.api.Test;

class InputStateTest {

  private final InputState input = new InputState(KeyBindings.defaults());
  private final MovementInput out = new MovementInput();

  @Test
  void wasdAndArrowsBecomeAxesAndOppositeKeysCancel() {
    input.onKey(GLFW_KEY_W, GLFW_PRESS, false);
    input.onKey(GLFW_KEY_D, GLFW_PRESS, false);
    input.onKey(GLFW_KEY_LEFT, GLFW_PRESS, false);
    input.sample(false, out);
    assertEquals(1, out.forward);
    assertEquals(1, out.right);
    assertEquals(-1, out.turn);
    assertEquals(0, out.look);
    input.onKey(GLFW_KEY_S, GLFW_PRESS, false);
    input.sample(false, out);
    assertEquals(0, out.forward, "W and S cancel");
    input.onKey(GLFW_KEY_W, GLFW_RELEASE, false);
    input.sample(false, out);
    assertEquals(-1, out.forward);
  }

  @Test
  void typingInThePanelNeverMovesTheCamera() {
    input.onKey(GLFW_KEY_W, GLFW_PRESS, false);
    input.onKey(GLFW_KEY_LEFT_SHIFT, GLFW_PRESS, false);
    input.sample(true, out);
    assertTrue(out.isIdle());
    assertFalse(out.fast);
  }

  @Test
  void mouseMovesOnlyWhileThePointerIsCapturedAndIsConsumedBySampling() {
    input.onCursor(100, 100);
    input.onCursor(130, 90);
    input.sample(false, out);
    assertEquals(0, out.mouseDx, "pointer not captured");
    input.setPointerCaptured(true);
    input.onCursor(200, 200); // first position after capture is the reference, not a jump
    input.onCursor(210, 195);
    input.onCursor(215, 190);
    input.sample(false, out);
    assertEquals(15, out.mouseDx);
    assertEquals(-10, out.mouseDy);
    input.sample(false, out);
    assertEquals(0, out.mouseDx, "movement is consumed by the sample that reported it");
  }

  @Test
  void aKeyPressedWhileThePanelHasTheKeyboardNeverMovesEvenAfterThePanelLetsGo() {
    input.onKey(GLFW_KEY_A, GLFW_PRESS, true);
    input.sample(false, out);
    assertEquals(0, out.right, "the press belonged to the panel");
    input.onKey(GLFW_KEY_A, GLFW_RELEASE, false);
    input.onKey(GLFW_KEY_A, GLFW_PRESS, false);
    input.sample(false, out);
    assertEquals(-1, out.right, "a new press with the view focused moves");
  }

  @Test
  void focusLossReleasesHeldKeys() {
    input.onKey(GLFW_KEY_W, GLFW_PRESS, false);
    input.releaseAll();
    input.sample(false, out);
    assertEquals(0, out.forward);
  }

  @Test
  void reboundKeysDriveTheirControl() {
    KeyBindings bindings = KeyBindings.defaults();
    bindings.rebind(Control.MOVE_FORWARD, GLFW_KEY_I);
    InputState rebound = new InputState(bindings);
    rebound.onKey(GLFW_KEY_W, GLFW_PRESS, false);
    rebound.sample(false, out);
    assertEquals(0, out.forward, "W no longer moves");
    rebound.onKey(GLFW_KEY_I, GLFW_PRESS, false);
    rebound.sample(false, out);
    assertEquals(1, out.forward);
  }
}
