package org.worldexplorer.runtime.action;

/**
 * What the player wants at one instant, free of any key or input library: the renderer's keymap produces
 * these, the {@link ActionSampler} consumes them.
 *
 * <p>Two kinds of field. <b>Levels</b> ({@code moveForward}, {@code moveRight}, {@code turnRight},
 * {@code turnUp}, {@code fast}) describe keys being held and stay in force until the next intent; each axis is
 * -1..1 (a key pair that cancels, like W+S, gives 0). <b>Impulses</b> ({@code yawDegrees}, {@code pitchDegrees})
 * are look motion that happened since the previous intent, already scaled by mouse sensitivity.
 *
 * @param moveForward held forward (+1, W) or backward (-1, S) movement
 * @param moveRight held right (+1, D) or left (-1, A) movement
 * @param turnRight held yaw to the right (+1) or left (-1), e.g. arrow keys
 * @param turnUp held pitch up (+1) or down (-1)
 * @param yawDegrees look yaw since the previous intent, positive turns right
 * @param pitchDegrees look pitch since the previous intent, positive looks up
 * @param fast whether the fast modifier (Shift) is held: translation moves the maximum step
 */
public record Intent(
    float moveForward,
    float moveRight,
    float turnRight,
    float turnUp,
    float yawDegrees,
    float pitchDegrees,
    boolean fast) {

  /** No keys held and no look motion. */
  public static final Intent IDLE = new Intent(0f, 0f, 0f, 0f, 0f, 0f, false);

  public Intent {
    requireAxis("moveForward", moveForward);
    requireAxis("moveRight", moveRight);
    requireAxis("turnRight", turnRight);
    requireAxis("turnUp", turnUp);
    requireFinite("yawDegrees", yawDegrees);
    requireFinite("pitchDegrees", pitchDegrees);
  }

  /** Held movement only. */
  public static Intent move(float forward, float right, boolean fast) {
    return new Intent(forward, right, 0f, 0f, 0f, 0f, fast);
  }

  /** Look motion only (no key held). */
  public static Intent look(float yawDegrees, float pitchDegrees) {
    return new Intent(0f, 0f, 0f, 0f, yawDegrees, pitchDegrees, false);
  }

  static void requireAxis(String name, float value) {
    if (!(value >= -1f && value <= 1f)) {
      throw new IllegalArgumentException(name + " must be in -1..1 (a held-key level), got " + value);
    }
  }

  static void requireFinite(String name, float value) {
    if (!Float.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number of degrees, got " + value);
    }
  }
}
