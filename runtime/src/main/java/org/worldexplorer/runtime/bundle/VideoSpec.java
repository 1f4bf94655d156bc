package org.worldexplorer.runtime.bundle;

/**
 * The video a bundle produces.
 *
 * @param width frame width in pixels ({@code W})
 * @param height frame height in pixels ({@code H})
 * @param fps frames per second
 */
public record VideoSpec(int width, int height, int fps) {

  public VideoSpec {
    Require.atLeast(width, 1, "video.width");
    Require.atLeast(height, 1, "video.height");
    Require.atLeast(fps, 1, "video.fps");
  }
}
