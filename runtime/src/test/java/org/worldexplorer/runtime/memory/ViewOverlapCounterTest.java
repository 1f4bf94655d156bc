package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.joml.Matrix4f;
import org.junit.jupiter.api.Test;

class ViewOverlapCounterTest {

  private static final MemoryConfig CONFIG = MemoryConfig.upstream8b();
  private static final MonteCarloPoints POINTS = MonteCarloPoints.shared();
  private static final ViewOverlapCounter COUNTER = new ViewOverlapCounter(POINTS, CONFIG);

  @Test
  void queryViewHoldsAboutFivePercentOfThePoints() {
    // Solid angle of a 60 x 35 degree azimuth/elevation window: (pi/3) * 2 sin(17.5 deg) / (4 pi) = 5.01 %.
    int expected = NaiveOverlap.count(new Matrix4f(), new Matrix4f(), POINTS, CONFIG)[1];
    assertEquals(expected, COUNTER.querySize());
    assertTrue(Math.abs(COUNTER.querySize() - 0.0501 * 50_000) < 150, "query size " + COUNTER.querySize());
  }

  @Test
  void sameCameraSeesEveryQueryPoint() {
    assertEquals(COUNTER.querySize(), countFor(Poses.worldToCamera(0, 0, 0, 0, 0)));
  }

  @Test
  void oppositeOrSideViewsShareNothing() {
    assertEquals(0, countFor(Poses.worldToCamera(0, 0, 0, 180, 0)));
    // Windows (-30, 30) and (30, 90) touch only at the excluded boundary.
    assertEquals(0, countFor(Poses.worldToCamera(0, 0, 0, 60, 0)));
    assertEquals(0, countFor(Poses.worldToCamera(0, 0, 0, 0, 35)));
  }

  @Test
  void halfTurnedCameraSeesAboutHalf() {
    // Yaw 30: the shared azimuths are (0, 30), half the window; the ball is symmetric in azimuth.
    int count = countFor(Poses.worldToCamera(0, 0, 0, 30, 0));
    assertEquals(0.5, count / (double) COUNTER.querySize(), 0.04);
  }

  @Test
  void camerasBeyondTwiceTheRadiusShareNothing() {
    // Query points lie within 8 of the query camera and must lie within 8 of the history camera.
    assertEquals(0, countFor(Poses.worldToCamera(0, 0, 16.01f, 180, 0)));
    assertTrue(countFor(Poses.worldToCamera(0, 0, 12f, 180, 0)) > 0, "facing each other 12 apart overlaps");
  }

  @Test
  void matchesTheLiteralAtan2ComputationOnRandomPoses() {
    Random random = new Random(7);
    int nonZero = 0;
    for (int trial = 0; trial < 200; trial++) {
      Matrix4f query = trial % 2 == 0 ? randomPose(random, 6) : new Matrix4f();
      // Every other pair is a camera a few units behind with a similar view, where whole branches count.
      Matrix4f history = trial % 2 == 0 ? randomPose(random, 6) : nearlyBehind(random);
      int expected = NaiveOverlap.count(query, history, POINTS, CONFIG)[0];
      CameraFrame frame = new CameraFrame().set(query);
      double[] world = new double[6];
      CameraFrame historyFrame = new CameraFrame().set(history);
      historyFrame.worldCentre(world, 0);
      historyFrame.worldForward(world, 3);
      frame.express(world[0], world[1], world[2], world[3], world[4], world[5]);
      int actual = COUNTER.count(frame.centreX, frame.centreY, frame.centreZ, frame.forwardX, frame.forwardY,
          frame.forwardZ);
      assertEquals(expected, actual, "trial " + trial);
      if (expected > 0) {
        nonZero++;
      }
    }
    assertTrue(nonZero > 20, "too few overlapping pairs to be a test: " + nonZero);
  }

  private static Matrix4f nearlyBehind(Random random) {
    return Poses.worldToCamera((random.nextFloat() - 0.5f), (random.nextFloat() - 0.5f) * 0.5f,
        -6 * random.nextFloat(), (random.nextFloat() - 0.5f) * 20, (random.nextFloat() - 0.5f) * 20);
  }

  private static Matrix4f randomPose(Random random, float extent) {
    return Poses.worldToCamera((random.nextFloat() * 2 - 1) * extent, (random.nextFloat() * 2 - 1) * 1.5f,
        (random.nextFloat() * 2 - 1) * extent, random.nextFloat() * 360 - 180, random.nextFloat() * 50 - 25);
  }

  private static int countFor(Matrix4f historyW2c) {
    CameraFrame history = new CameraFrame().set(historyW2c);
    double[] world = new double[6];
    history.worldCentre(world, 0);
    history.worldForward(world, 3);
    CameraFrame query = new CameraFrame().set(new Matrix4f());
    query.express(world[0], world[1], world[2], world[3], world[4], world[5]);
    return COUNTER.count(query.centreX, query.centreY, query.centreZ, query.forwardX, query.forwardY,
        query.forwardZ);
  }
}
