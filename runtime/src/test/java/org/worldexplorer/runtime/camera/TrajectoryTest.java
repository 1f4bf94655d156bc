package org.worldexplorer.runtime.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.ActionLimits;

class TrajectoryTest {

  private static Trajectory parse(String text) {
    return PoseStringParser.parse(text, ActionLimits.upstreamDefaults());
  }

  @Test
  void padsToAWholeChunkWithStillLatents() {
    Trajectory five = parse("w-4");
    Trajectory padded = five.padToChunks(4);
    assertEquals(8, padded.size());
    assertEquals(List.of(0, 9, 9, 9, 9, 0, 0, 0), padded.labels());
    for (int i = 5; i < 8; i++) {
      assertTrue(padded.cameraToWorld().get(i).equals(five.cameraToWorld().get(4), 0.0), "latent " + i);
      assertEquals(five.intrinsics().get(4), padded.intrinsics().get(i));
    }
    assertEquals(List.of("the trajectory has 5 latents, not a multiple of 4 (one chunk); padded with 3 still"
        + " latents at the end (same pose, label 0) to 8"), padded.warnings());
  }

  @Test
  void wholeChunksAreLeftAlone() {
    Trajectory four = parse("w-3");
    assertSame(four, four.padToChunks(4));
    assertEquals(32, parse("w-31").padToChunks(4).size());
    assertEquals(1, parse("w-6").padToChunks(4).warnings().size());
    assertTrue(parse("w-6").padToChunks(4).warnings().get(0).contains("padded with 1 still latent at"));
  }

  @Test
  void keepsCopiesOfThePoses() {
    Matrix4d pose = new Matrix4d();
    Trajectory t = new Trajectory(List.of(pose), List.of(NormalizedIntrinsics.DEFAULT), List.of(0), null);
    pose.translation(1, 2, 3);
    assertTrue(t.cameraToWorld().get(0).equals(new Matrix4d(), 0.0));
    assertEquals(List.of(), t.warnings());
  }

  @Test
  void rejectsInconsistentContents() {
    List<Matrix4dc> two = List.of(new Matrix4d(), new Matrix4d());
    List<NormalizedIntrinsics> k2 = List.of(NormalizedIntrinsics.DEFAULT, NormalizedIntrinsics.DEFAULT);
    IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
        () -> new Trajectory(two, k2, List.of(0), List.of()));
    assertTrue(sizes.getMessage().contains("got 2 poses, 2 intrinsics, 1 labels"), sizes.getMessage());
    IllegalArgumentException first = assertThrows(IllegalArgumentException.class,
        () -> new Trajectory(two, k2, List.of(9, 9), List.of()));
    assertTrue(first.getMessage().startsWith("label of latent 0 is 9"), first.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Trajectory(two, k2, List.of(0, 81), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Trajectory(List.of(), List.of(), List.of(), List.of()));
    assertThrows(IllegalArgumentException.class, () -> parse("w-1").padToChunks(0));
  }

  @Test
  void intrinsicsNormaliseAndValidate() {
    NormalizedIntrinsics k = NormalizedIntrinsics.fromPixels(500, 400, 250, 100);
    assertEquals(new NormalizedIntrinsics(1.0, 2.0), k);
    assertEquals(500.0, k.pixelFx(250), 0.0);
    assertThrows(IllegalArgumentException.class, () -> NormalizedIntrinsics.fromPixels(500, 400, 0, 100));
    assertThrows(IllegalArgumentException.class, () -> new NormalizedIntrinsics(Double.NaN, 1));
    org.joml.Matrix3d m = k.toMatrix(new org.joml.Matrix3d());
    assertEquals(0.5, m.get(2, 0), 0.0, "cx is column 2, row 0");
    assertEquals(2.0, m.get(1, 1), 0.0);
  }
}
