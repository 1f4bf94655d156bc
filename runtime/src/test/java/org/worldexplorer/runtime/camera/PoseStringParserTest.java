package org.worldexplorer.runtime.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.joml.Vector3d;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.ActionLimits;

class PoseStringParserTest {

  private static final ActionLimits LIMITS = ActionLimits.upstreamDefaults();

  private static Trajectory parse(String text) {
    return PoseStringParser.parse(text, LIMITS);
  }

  private static Vector3d position(Trajectory trajectory, int latent) {
    return trajectory.cameraToWorld().get(latent).getTranslation(new Vector3d());
  }

  @Test
  void identityComesFirstSoW31GivesThirtyTwoLatents() {
    Trajectory t = parse("w-31");
    assertEquals(32, t.size());
    assertEquals(0, t.labels().get(0));
    for (int i = 1; i < 32; i++) {
      assertEquals(9, t.labels().get(i), "latent " + i);
    }
    assertEquals(2.48, position(t, 31).z, 1e-12);
    assertEquals(0.0, position(t, 31).x, 0.0);
  }

  @Test
  void everyTokenGetsItsSpecLabel() {
    String[] tokens = {"w", "s", "d", "a", "right", "left", "up", "down"};
    int[] labels = {9, 18, 27, 36, 1, 2, 3, 4};
    for (int i = 0; i < tokens.length; i++) {
      Trajectory t = parse(tokens[i] + "-1");
      assertEquals(List.of(0, labels[i]), t.labels(), tokens[i]);
    }
  }

  @Test
  void mixedStringFollowsTheWorkedOutPath() {
    // Three steps forward to z = 0.24, yaw right 3 degrees, then four steps along the new right axis
    // (cos 3, 0, -sin 3): x = 0.32 cos 3 = 0.3195614511, z = 0.24 - 0.32 sin 3 = 0.2232524940.
    Trajectory t = parse("w-3, right-1, d-4");
    assertEquals(9, t.size());
    assertEquals(List.of(0, 9, 9, 9, 1, 27, 27, 27, 27), t.labels());
    Vector3d end = position(t, 8);
    assertEquals(0.3195614511, end.x, 1e-9);
    assertEquals(0.0, end.y, 1e-15);
    assertEquals(0.2232524940, end.z, 1e-9);
  }

  @Test
  void countsAreTruncatedAndEmptyTokensSkipped() {
    assertEquals(1, parse("right-0.5").size());
    assertEquals(3, parse("w-2.9").size());
    assertEquals(4, parse(" w - 2 ,, d-1, ").size());
    assertEquals(1, parse("").size());
    assertEquals(101, parse("w-1e2").size());
  }

  @Test
  void posesUseTheDefaultNormalisedIntrinsics() {
    NormalizedIntrinsics k = parse("w-1").intrinsics().get(1);
    assertEquals(0.5050505050505050, k.fx(), 1e-15);
    assertEquals(0.8978675645342312, k.fy(), 1e-15);
    assertTrue(parse("w-1").warnings().isEmpty());
  }

  @Test
  void unknownActionNamesColumnTokenAndValidActions() {
    PoseStringException e = assertThrows(PoseStringException.class, () -> parse("w-3, jump-2"));
    assertEquals(6, e.column());
    assertEquals("jump-2", e.token());
    assertTrue(e.getMessage().startsWith("pose string, column 6, token \"jump-2\": unknown action \"jump\""),
        e.getMessage());
    assertTrue(e.getMessage().contains("w, s, a, d, up, down, left, right"), e.getMessage());
  }

  @Test
  void malformedCountsAndTokensAreReported() {
    PoseStringException noDash = assertThrows(PoseStringException.class, () -> parse("w3"));
    assertEquals(1, noDash.column());
    assertTrue(noDash.getMessage().contains("exactly one '-'"), noDash.getMessage());
    PoseStringException twoDashes = assertThrows(PoseStringException.class, () -> parse("d-1,  w--2"));
    assertEquals(7, twoDashes.column());
    assertEquals("w--2", twoDashes.token());
    PoseStringException word = assertThrows(PoseStringException.class, () -> parse("up-two"));
    assertTrue(word.getMessage().contains("count \"two\" is not a non-negative number"), word.getMessage());
    assertThrows(PoseStringException.class, () -> parse("up-nan"));
    assertThrows(PoseStringException.class, () -> parse("up-"));
    PoseStringException huge = assertThrows(PoseStringException.class, () -> parse("w-1e9"));
    assertTrue(huge.getMessage().contains("more than 100000 latents"), huge.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse(null));
  }

  @Test
  void stepSizesComeFromTheLimits() {
    ActionLimits big = new ActionLimits(0.5, 10, 0.5, 10, 1e-4, 0.05);
    Trajectory t = PoseStringParser.parse("w-2", big);
    assertEquals(1.0, position(t, 2).z, 1e-12);
  }
}
