package org.worldexplorer.runtime.camera;

import org.joml.Matrix3d;

/**
 * Camera intrinsics as the model takes them (upstream-spec section 3.4): focal lengths divided by twice the
 * principal point, which is taken to be the image centre, so {@code cx = cy = 0.5}.
 *
 * @param fx horizontal focal length over the image width
 * @param fy vertical focal length over the image height
 */
public record NormalizedIntrinsics(double fx, double fy) {

  /** Upstream's default pixel intrinsics: fx = fy = 969.69..., cx = 960, cy = 540 (1920x1080). */
  public static final double DEFAULT_PIXEL_FOCAL = 969.6969696969696;
  /** Principal point x of upstream's default pixel intrinsics. */
  public static final double DEFAULT_PIXEL_CX = 960.0;
  /** Principal point y of upstream's default pixel intrinsics. */
  public static final double DEFAULT_PIXEL_CY = 540.0;

  /** Upstream's default camera, about 0.50505 x 0.89787. */
  public static final NormalizedIntrinsics DEFAULT =
      fromPixels(DEFAULT_PIXEL_FOCAL, DEFAULT_PIXEL_FOCAL, DEFAULT_PIXEL_CX, DEFAULT_PIXEL_CY);

  public NormalizedIntrinsics {
    if (!(fx > 0) || !(fy > 0) || Double.isInfinite(fx) || Double.isInfinite(fy)) {
      throw new IllegalArgumentException("normalised focal lengths must be positive and finite, got fx " + fx
          + ", fy " + fy);
    }
  }

  /** Normalises pixel intrinsics: {@code fx / (2 cx)}, {@code fy / (2 cy)}. */
  public static NormalizedIntrinsics fromPixels(double fx, double fy, double cx, double cy) {
    if (!(cx > 0) || !(cy > 0)) {
      throw new IllegalArgumentException("principal point must be positive to normalise intrinsics, got cx " + cx
          + ", cy " + cy);
    }
    return new NormalizedIntrinsics(fx / (2 * cx), fy / (2 * cy));
  }

  /** Pixel focal length x for an image whose principal point x is {@code cx}. */
  public double pixelFx(double cx) {
    return fx * 2 * cx;
  }

  /** Pixel focal length y for an image whose principal point y is {@code cy}. */
  public double pixelFy(double cy) {
    return fy * 2 * cy;
  }

  /** The normalised 3x3 matrix {@code [[fx, 0, 0.5], [0, fy, 0.5], [0, 0, 1]]}. */
  public Matrix3d toMatrix(Matrix3d dest) {
    // JOML's constructor order is column by column.
    return dest.set(fx, 0, 0, 0, fy, 0, 0.5, 0.5, 1);
  }
}
