package org.worldexplorer.runtime.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Windows of 400 ms, so each latent's quarter is 100 ms. */
class ActionSamplerTest {

  private static final float EPS = 1e-6f;

  private ActionSampler sampler;
  private final DualAction[] out = new DualAction[4];

  @BeforeEach
  void startAtZero() {
    sampler = new ActionSampler(ActionLimits.upstreamDefaults(), 4, 64);
    sampler.start(0);
  }

  private static long ms(double millis) {
    return (long) (millis * 1_000_000L);
  }

  private void press(double atMs, float forward, float right) {
    sampler.record(ms(atMs), Intent.move(forward, right, false));
  }

  private DualAction[] window(double endMs) {
    return sampler.sampleChunk(ms(endMs), out);
  }

  private static int[] labels(DualAction[] actions) {
    int[] labels = new int[actions.length];
    for (int i = 0; i < actions.length; i++) {
      labels[i] = actions[i].label();
    }
    return labels;
  }

  private static void assertLabels(DualAction[] actions, int... expected) {
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(labels(actions)));
  }

  @Test
  void noInputGivesStillLatents() {
    DualAction[] actions = window(400);
    for (DualAction action : actions) {
      assertEquals(DualAction.STILL, action);
    }
  }

  @Test
  void heldKeyMovesEveryLatentByOneStep() {
    press(0, 1, 0);
    DualAction[] actions = window(400);
    assertLabels(actions, 9, 9, 9, 9);
    for (DualAction action : actions) {
      assertEquals(0.08f, action.forward(), EPS);
      assertEquals(0f, action.right());
    }
  }

  @Test
  void shortTapMovesExactlyOneLatent() {
    press(120, 1, 0);
    press(140, 0, 0);
    DualAction[] actions = window(400);
    assertLabels(actions, 0, 9, 0, 0);
    assertEquals(0.08f, actions[1].forward(), EPS);
  }

  @Test
  void tapAcrossABoundaryMovesTheLatentItCoveredLonger() {
    press(180, 0, -1);
    press(230, 0, 0);
    DualAction[] actions = window(400);
    assertLabels(actions, 0, 0, 36, 0);
    assertEquals(-0.08f, actions[2].right(), EPS);
  }

  @Test
  void tapSplitEvenlyMovesTheEarlierLatent() {
    press(170, 1, 0);
    press(230, 0, 0);
    assertLabels(window(400), 0, 9, 0, 0);
  }

  @Test
  void aQuarterCountsAsHeldFromHalfItsLength() {
    press(150, 1, 0);
    assertLabels(window(400), 0, 9, 9, 9);
    sampler.start(0);
    press(160, 1, 0);
    assertLabels(window(400), 0, 0, 9, 9);
  }

  @Test
  void tapStartingAtTheEndOfAWindowMovesOneLatentOfTheNext() {
    press(390, 1, 0);
    assertLabels(window(400), 0, 0, 0, 0);
    press(420, 0, 0);
    assertLabels(window(800), 9, 0, 0, 0);
  }

  @Test
  void pressFinishedInTheNextWindowDoesNotMoveTwice() {
    press(300, 1, 0);
    assertLabels(window(400), 0, 0, 0, 9);
    press(410, 0, 0);
    assertLabels(window(800), 0, 0, 0, 0);
  }

  @Test
  void diagonalIsNormalised() {
    press(0, 1, 1);
    DualAction[] actions = window(400);
    assertLabels(actions, 45, 45, 45, 45);
    assertEquals(0.0565685f, actions[0].forward(), EPS);
    assertEquals(0.0565685f, actions[0].right(), EPS);
  }

  @Test
  void fastModifierMovesTheMaximumAndNoFurther() {
    sampler.record(0, Intent.move(1, 0, true));
    DualAction[] actions = window(400);
    assertLabels(actions, 9, 9, 9, 9);
    assertEquals(0.16f, actions[3].forward(), EPS);
  }

  @Test
  void lookImpulsesLandInTheirQuarterAndAreClamped() {
    sampler.record(ms(50), Intent.look(2f, 0f));
    sampler.record(ms(80), Intent.look(1.5f, 0f));
    sampler.record(ms(250), Intent.look(0f, -1f));
    sampler.record(ms(310), Intent.look(10f, 0f));
    DualAction[] actions = window(400);
    assertLabels(actions, 1, 0, 4, 1);
    assertEquals(3.5f, actions[0].yawDegrees(), EPS);
    assertEquals(-1f, actions[2].pitchDegrees(), EPS);
    assertEquals(6f, actions[3].yawDegrees(), EPS);
    assertLabels(window(800), 0, 0, 0, 0);
  }

  @Test
  void lookBelowTheRotationThresholdIsNotLabelled() {
    sampler.record(ms(10), Intent.look(0.04f, 0f));
    DualAction[] actions = window(400);
    assertEquals(0, actions[0].label());
    assertEquals(0.04f, actions[0].yawDegrees(), EPS);
  }

  @Test
  void moveAndLookCombineIntoOneLabel() {
    press(0, 1, 0);
    sampler.record(ms(10), new Intent(1, 0, 0, 0, 3f, 0f, false));
    sampler.record(ms(210), new Intent(1, 0, 0, 0, 0f, 3f, false));
    assertLabels(window(400), 10, 9, 12, 9);
  }

  @Test
  void heldTurnKeysRotateOneStepPerLatent() {
    sampler.record(0, new Intent(0, 0, 1, 0, 0, 0, false));
    sampler.record(ms(100), new Intent(0, 0, 1, 0, 4f, 0, false));
    sampler.record(ms(200), new Intent(0, 0, -1, 1, 0, 0, false));
    DualAction[] actions = window(400);
    assertLabels(actions, 1, 1, 7, 7);
    assertEquals(3f, actions[0].yawDegrees(), EPS);
    assertEquals(6f, actions[1].yawDegrees(), EPS);
    assertEquals(-3f, actions[2].yawDegrees(), EPS);
    assertEquals(3f, actions[2].pitchDegrees(), EPS);
  }

  @Test
  void opposingMovesInOneQuarterCancel() {
    press(0, 1, 0);
    press(50, -1, 0);
    press(100, 0, 0);
    DualAction[] actions = window(400);
    assertLabels(actions, 0, 0, 0, 0);
    assertEquals(0f, actions[0].forward(), EPS);
  }

  @Test
  void intentsAtTheWindowEndWaitForTheNextWindow() {
    press(400, 1, 0);
    assertLabels(window(400), 0, 0, 0, 0);
    assertLabels(window(800), 9, 9, 9, 9);
  }

  @Test
  void lateIntentsCountFromTheWindowStart() {
    window(400);
    press(100, 1, 0);
    assertLabels(window(800), 9, 9, 9, 9);
  }

  @Test
  void fullQueueMergesIntoTheNewestIntent() {
    sampler = new ActionSampler(ActionLimits.upstreamDefaults(), 4, 2);
    sampler.start(0);
    sampler.record(ms(10), Intent.look(1f, 0f));
    sampler.record(ms(20), Intent.look(1f, 0f));
    sampler.record(ms(30), Intent.look(1f, 0f));
    assertEquals(1, sampler.mergedIntents());
    assertEquals(3f, window(400)[0].yawDegrees(), EPS);
  }

  @Test
  void labelsAreTheLabellerOfTheActionsOwnDeltas() {
    DiscreteLabeler labeler = new DiscreteLabeler(ActionLimits.upstreamDefaults());
    press(0, 1, -1);
    sampler.record(ms(120), new Intent(1, -1, 0, 0, -2.5f, 1.25f, true));
    for (DualAction action : window(400)) {
      assertEquals(labeler.labelOfStep(action.forward(), action.right(), action.yawDegrees(),
          action.pitchDegrees()), action.label());
    }
  }

  @Test
  void misuseIsReportedClearly() {
    ActionSampler fresh = new ActionSampler(ActionLimits.upstreamDefaults(), 4, 8);
    IllegalStateException notStarted = assertThrows(IllegalStateException.class,
        () -> fresh.sampleChunk(ms(400), out));
    assertTrue(notStarted.getMessage().contains("start"));
    assertThrows(IllegalArgumentException.class, () -> sampler.sampleChunk(ms(400), new DualAction[3]));
    assertThrows(IllegalArgumentException.class, () -> sampler.sampleChunk(2, out));
    IllegalArgumentException axis = assertThrows(IllegalArgumentException.class,
        () -> sampler.record(0, 2f, 0f, 0f, 0f, 0f, 0f, false));
    assertTrue(axis.getMessage().startsWith("moveForward must be in -1..1"), axis.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sampler.record(0, 0f, 0f, 0f, 0f, Float.NaN, 0f, false));
  }

  @Test
  void recordingAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    ActionSampler big = new ActionSampler(ActionLimits.upstreamDefaults(), 4, 20_000);
    big.start(0);
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 5_000; i++) {
      big.record(i, 1f, 0f, 0f, 0f, 0.01f, 0f, false);
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 10_000; i++) {
      big.record(5_000 + i, 0f, 1f, 0f, 0f, 0.01f, 0f, true);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < 1024, "recording 10,000 intents allocated " + allocated + " bytes");
  }
}
