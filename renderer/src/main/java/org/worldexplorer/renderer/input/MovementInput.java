package org.worldexplorer.renderer.input;

/**
 * What the person asks of the camera right now, in input terms: which way they move, which way the arrow keys
 * turn, and how far the mouse moved since the last sample. One instance is reused every frame; {@code app}
 * turns it into the runtime's intents with the sensitivity settings.
 */
public final class MovementInput {
  /** +1 forward, −1 back, 0 none (W and S cancel). */
  public int forward;
  /** +1 right, −1 left, 0 none (A and D cancel). */
  public int right;
  /** +1 turn right, −1 turn left (arrow keys). */
  public int turn;
  /** +1 look up, −1 look down (arrow keys). */
  public int look;
  /** Mouse movement in screen pixels since the last sample, while the pointer is captured (+x right, +y down). */
  public double mouseDx;
  public double mouseDy;
  public boolean fast;

  public boolean isIdle() {
    return forward == 0 && right == 0 && turn == 0 && look == 0 && mouseDx == 0 && mouseDy == 0;
  }
}
