package org.worldexplorer.runtime.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActionLimitsTest {

  @Test
  void upstreamDefaultsAreTheSpecSteps() {
    ActionLimits limits = ActionLimits.upstreamDefaults();
    assertEquals(0.08, limits.translationStep());
    assertEquals(3.0, limits.rotationStepDegrees());
    assertEquals(0.16, limits.maxTranslation());
    assertEquals(6.0, limits.maxRotationDegrees());
    assertEquals(1e-4, limits.translationThreshold());
    assertEquals(0.05, limits.rotationThresholdDegrees());
  }

  @Test
  void rejectsNonPositiveOrNonFiniteSteps() {
    assertMessage("translationStep must be a positive finite number, got 0.0",
        () -> new ActionLimits(0, 3, 0.16, 6, 1e-4, 0.05));
    assertMessage("rotationStepDegrees must be a positive finite number, got NaN",
        () -> new ActionLimits(0.08, Double.NaN, 0.16, 6, 1e-4, 0.05));
    assertMessage("maxTranslation must be a positive finite number, got Infinity",
        () -> new ActionLimits(0.08, 3, Double.POSITIVE_INFINITY, 6, 1e-4, 0.05));
    assertMessage("translationThreshold must be zero or a positive finite number, got -1.0",
        () -> new ActionLimits(0.08, 3, 0.16, 6, -1, 0.05));
  }

  @Test
  void maximaMustCoverTheSteps() {
    assertMessage("maxTranslation (0.05) must be at least translationStep (0.08)",
        () -> new ActionLimits(0.08, 3, 0.05, 6, 1e-4, 0.05));
    assertMessage("maxRotationDegrees (2.0) must be at least rotationStepDegrees (3.0)",
        () -> new ActionLimits(0.08, 3, 0.16, 2, 1e-4, 0.05));
    assertMessage("maxRotationDegrees must be below 90, got 90.0",
        () -> new ActionLimits(0.08, 3, 0.16, 90, 1e-4, 0.05));
  }

  @Test
  void thresholdsMustBeBelowTheSteps() {
    assertMessage("translationThreshold (0.08) must be below translationStep (0.08)",
        () -> new ActionLimits(0.08, 3, 0.16, 6, 0.08, 0.05));
    assertMessage("rotationThresholdDegrees (3.5) must be below rotationStepDegrees (3.0)",
        () -> new ActionLimits(0.08, 3, 0.16, 6, 1e-4, 3.5));
  }

  private static void assertMessage(String expectedStart, Runnable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }
}
