package org.worldexplorer.renderer.viewer;

/** Display-side numbers the panel shows; one instance, updated in place by the viewer every refresh. */
public final class ViewerStatus {
  /** Frames shown per second over the last second. */
  public double displayFps;
  /** True while a frame is due but generation has not delivered it. */
  public boolean holdingLastFrame;
  /** Frames waiting in the queue. */
  public int framesQueued;
  public long framesShown;
  public boolean pointerCaptured;
  public boolean fullscreen;
  /** How long the previous refresh took from its start to the buffer swap (its own work, no waiting). */
  public long refreshWorkNanos;
}
