package org.worldexplorer.runtime.action;

/**
 * How far one latent may move the camera, and when a motion counts for the discrete label.
 *
 * <p>Steps are what one held key does per latent; the maxima clamp everything (mouse look, the fast modifier),
 * so the model never sees a motion bigger than it was trained on. The thresholds decide whether a relative pose
 * is labelled as motion at all (upstream-spec section 4.1, inference values).
 *
 * @param translationStep translation per latent while a move key is held, scene units (upstream 0.08)
 * @param rotationStepDegrees rotation per latent while a turn key is held (upstream 3)
 * @param maxTranslation largest translation per latent; the fast modifier moves exactly this far
 * @param maxRotationDegrees largest yaw and largest pitch per latent, each on its own
 * @param translationThreshold a relative translation must be longer than this to be labelled (tau_t)
 * @param rotationThresholdDegrees a relative Euler angle must exceed this to be labelled (tau_r)
 */
public record ActionLimits(
    double translationStep,
    double rotationStepDegrees,
    double maxTranslation,
    double maxRotationDegrees,
    double translationThreshold,
    double rotationThresholdDegrees) {

  /** Upstream's per-latent steps and inference thresholds; the maxima are twice the steps. */
  public static ActionLimits upstreamDefaults() {
    return new ActionLimits(0.08, 3.0, 0.16, 6.0, 1e-4, 0.05);
  }

  public ActionLimits {
    requirePositiveFinite("translationStep", translationStep);
    requirePositiveFinite("rotationStepDegrees", rotationStepDegrees);
    requirePositiveFinite("maxTranslation", maxTranslation);
    requirePositiveFinite("maxRotationDegrees", maxRotationDegrees);
    if (maxTranslation < translationStep) {
      throw new IllegalArgumentException("maxTranslation (" + maxTranslation + ") must be at least translationStep ("
          + translationStep + "); raise the maximum or lower the step");
    }
    if (maxRotationDegrees < rotationStepDegrees) {
      throw new IllegalArgumentException("maxRotationDegrees (" + maxRotationDegrees
          + ") must be at least rotationStepDegrees (" + rotationStepDegrees + "); raise the maximum or lower the step");
    }
    // Beyond 90 degrees the Euler decomposition used for labels no longer recovers the yaw.
    if (maxRotationDegrees >= 90) {
      throw new IllegalArgumentException("maxRotationDegrees must be below 90, got " + maxRotationDegrees
          + "; a latent turning that far cannot be labelled");
    }
    requireNonNegativeFinite("translationThreshold", translationThreshold);
    requireNonNegativeFinite("rotationThresholdDegrees", rotationThresholdDegrees);
    if (translationThreshold >= translationStep) {
      throw new IllegalArgumentException("translationThreshold (" + translationThreshold
          + ") must be below translationStep (" + translationStep + "), or a held key would never be labelled as motion");
    }
    if (rotationThresholdDegrees >= rotationStepDegrees) {
      throw new IllegalArgumentException("rotationThresholdDegrees (" + rotationThresholdDegrees
          + ") must be below rotationStepDegrees (" + rotationStepDegrees
          + "), or a held key would never be labelled as a turn");
    }
  }

  private static void requirePositiveFinite(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
    }
  }

  private static void requireNonNegativeFinite(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be zero or a positive finite number, got " + value);
    }
  }
}
