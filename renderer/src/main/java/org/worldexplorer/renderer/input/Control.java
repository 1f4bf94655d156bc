package org.worldexplorer.renderer.input;

/** Everything a key can be bound to. Movement controls feed the world; the others act on the app. */
public enum Control {
  MOVE_FORWARD,
  MOVE_BACK,
  MOVE_LEFT,
  MOVE_RIGHT,
  TURN_LEFT,
  TURN_RIGHT,
  LOOK_UP,
  LOOK_DOWN,
  FAST,
  RELEASE_POINTER,
  TOGGLE_FULLSCREEN,
  SCREENSHOT,
  TOGGLE_PANEL,
  TOGGLE_RECORDING,
  PAUSE,
  /** Text events bound to keys; the app decides which prompt each one sends. */
  EVENT_1,
  EVENT_2,
  EVENT_3,
  EVENT_4;

  /** The event controls in order, so EVENT_1 is index 0. */
  public static final Control[] EVENTS = {EVENT_1, EVENT_2, EVENT_3, EVENT_4};
}
