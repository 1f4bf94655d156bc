package org.worldexplorer.runtime.bundle;

/**
 * Camera step sizes per latent and the thresholds that turn a camera delta into a discrete label.
 *
 * @param translationStep translation per latent at normal speed, scene units
 * @param rotationStepDegrees rotation per latent at normal speed
 * @param maxTranslationStep largest translation per latent (fast movement is clamped to it)
 * @param maxRotationStepDegrees largest rotation per latent
 * @param labelTranslationThreshold smallest translation that counts as movement in the label
 * @param labelRotationThresholdDegrees smallest rotation that counts as turning in the label
 */
public record ActionSpec(double translationStep, double rotationStepDegrees, double maxTranslationStep,
    double maxRotationStepDegrees, double labelTranslationThreshold, double labelRotationThresholdDegrees) {

  public ActionSpec {
    Require.positive(translationStep, "actions.translation_step");
    Require.positive(rotationStepDegrees, "actions.rotation_step_degrees");
    Require.positive(maxTranslationStep, "actions.max_translation_step");
    Require.positive(maxRotationStepDegrees, "actions.max_rotation_step_degrees");
    if (maxTranslationStep < translationStep) {
      throw new IllegalArgumentException("actions.max_translation_step (" + maxTranslationStep
          + ") must be at least actions.translation_step (" + translationStep + ")");
    }
    if (maxRotationStepDegrees < rotationStepDegrees) {
      throw new IllegalArgumentException("actions.max_rotation_step_degrees (" + maxRotationStepDegrees
          + ") must be at least actions.rotation_step_degrees (" + rotationStepDegrees + ")");
    }
    Require.nonNegative(labelTranslationThreshold, "actions.label_translation_threshold");
    Require.nonNegative(labelRotationThresholdDegrees, "actions.label_rotation_threshold_degrees");
  }
}
