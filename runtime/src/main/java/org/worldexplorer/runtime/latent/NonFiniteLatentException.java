package org.worldexplorer.runtime.latent;

/**
 * A latent handed to the {@link LatentStore} held NaN or an infinity, usually because a graph diverged. The store
 * kept nothing of that chunk, so the session can report it and retry or stop.
 */
public final class NonFiniteLatentException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int latentIndex;
  private final int element;

  NonFiniteLatentException(int latentIndex, int element, LatentShape shape, float value) {
    super(describe(latentIndex, element, shape, value));
    this.latentIndex = latentIndex;
    this.element = element;
  }

  /** Absolute index of the first latent found with a non-finite value. */
  public int latentIndex() {
    return latentIndex;
  }

  /** Element {@code (c * h + y) * w + x} of the first non-finite value inside that latent. */
  public int element() {
    return element;
  }

  private static String describe(int latentIndex, int element, LatentShape shape, float value) {
    int plane = shape.plane();
    int channel = element / plane;
    int y = (element % plane) / shape.width();
    int x = element % shape.width();
    String kind = Float.isNaN(value) ? "NaN in a latent" : "Infinity in a latent";
    return kind + ": latent " + latentIndex + ", element " + element + " (channel " + channel + ", y " + y
        + ", x " + x + ") is " + value + "; the chunk was not stored (did a graph diverge?)";
  }
}
