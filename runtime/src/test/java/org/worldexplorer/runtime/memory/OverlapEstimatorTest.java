package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.joml.Matrix4f;
import org.junit.jupiter.api.Test;

class OverlapEstimatorTest {

  private static final MemoryConfig CONFIG = MemoryConfig.upstream8b();
  private static final ViewOverlapCounter COUNTER = new ViewOverlapCounter(MonteCarloPoints.shared(), CONFIG);

  @Test
  void groupsCoverEveryQueryPoint() {
    OverlapEstimator estimator = new OverlapEstimator(COUNTER, CONFIG, 7);
    assertEquals(128, estimator.groups());
    assertEquals(COUNTER.querySize(), estimate(estimator, new Matrix4f()), "the query camera sees all it sees");
  }

  @Test
  void farOrOppositeCamerasShareAtMostTheFloor() {
    OverlapEstimator estimator = new OverlapEstimator(COUNTER, CONFIG, 7);
    // Beyond the view radius of every query point, looking back at them.
    assertEquals(0, estimate(estimator, Poses.worldToCamera(0, 0, 30f, 180, 0)));
    // Facing away from the same spot, it still passes the coarse tests: the floor of 1, never more.
    assertTrue(estimate(estimator, Poses.worldToCamera(0, 0, 0, 180, 0)) <= 1);
  }

  @Test
  void finerGroupsTrackTheExactCountCloser() {
    OverlapEstimator coarse = new OverlapEstimator(COUNTER, CONFIG, 3);
    OverlapEstimator fine = new OverlapEstimator(COUNTER, CONFIG, 7);
    Random random = new Random(7);
    double coarseError = 0, fineError = 0;
    int cameras = 300;
    for (int i = 0; i < cameras; i++) {
      Matrix4f camera = Poses.worldToCamera(6 * random.nextFloat() - 3, random.nextFloat() - 0.5f,
          8 * random.nextFloat() - 2, 90 * random.nextFloat() - 45, 30 * random.nextFloat() - 15);
      int exact = count(camera);
      coarseError += Math.abs(estimate(coarse, camera) - exact);
      fineError += Math.abs(estimate(fine, camera) - exact);
    }
    double querySize = COUNTER.querySize();
    System.out.printf("mean |estimate - count| / query points: 8 groups %.4f, 128 groups %.4f%n",
        coarseError / cameras / querySize, fineError / cameras / querySize);
    assertTrue(fineError / cameras < 0.02 * querySize, "128 groups: mean error " + fineError / cameras);
    assertTrue(coarseError / cameras < 0.12 * querySize, "8 groups: mean error " + coarseError / cameras);
    assertTrue(fineError < coarseError / 2, "fine " + fineError + " vs coarse " + coarseError);
  }

  @Test
  void rejectsAnUnreasonableDepth() {
    assertThrows(IllegalArgumentException.class, () -> new OverlapEstimator(COUNTER, CONFIG, 13));
    assertThrows(IllegalArgumentException.class, () -> new OverlapEstimator(COUNTER, CONFIG, -1));
  }

  private static int estimate(OverlapEstimator estimator, Matrix4f historyCamera) {
    CameraFrame query = new CameraFrame().set(new Matrix4f());
    double[] pose = new double[6];
    CameraFrame history = new CameraFrame().set(historyCamera);
    history.worldCentre(pose, 0);
    history.worldForward(pose, 3);
    query.express(pose[0], pose[1], pose[2], pose[3], pose[4], pose[5]);
    return estimator.estimate(query.centreX, query.centreY, query.centreZ, query.forwardX, query.forwardY,
        query.forwardZ);
  }

  private static int count(Matrix4f historyCamera) {
    CameraFrame history = new CameraFrame().set(historyCamera);
    double[] pose = new double[6];
    history.worldCentre(pose, 0);
    history.worldForward(pose, 3);
    return COUNTER.count(pose[0], pose[1], pose[2], pose[3], pose[4], pose[5]);
  }
}
