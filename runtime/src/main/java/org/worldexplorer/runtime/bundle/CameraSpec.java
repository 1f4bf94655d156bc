package org.worldexplorer.runtime.bundle;

/**
 * Default normalised intrinsics for live play: focal lengths divided by image width and height.
 *
 * @param fx normalised horizontal focal length
 * @param fy normalised vertical focal length
 */
public record CameraSpec(double fx, double fy) {

  public CameraSpec {
    Require.positive(fx, "camera.fx");
    Require.positive(fy, "camera.fy");
  }
}
