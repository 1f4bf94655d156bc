package org.worldexplorer.runtime.memory;

import java.util.Random;

/**
 * Seeded walking camera paths for tests and benchmarks: segments of forward walking, turning, strafing and
 * backing up at upstream's per-latent steps (forward {@code step} units, 3 degrees of yaw), a slowly drifting
 * pitch, and frequent returns toward earlier positions. An optional arena keeps the walker near the origin, which
 * makes revisits dense.
 */
public final class RandomWalk {

  private static final float TURN_DEGREES = 3f;

  private RandomWalk() {}

  /** A walk of {@code latents} poses where 30 % of segments return toward an earlier place. */
  public static ListCameraHistory walk(int latents, long seed, float step, float arenaRadius) {
    return walk(latents, seed, step, arenaRadius, 0.3);
  }

  /**
   * A walk of {@code latents} poses; {@code returnChance} of the segments walk back toward a random earlier
   * place (arena radius 0: no arena).
   */
  public static ListCameraHistory walk(int latents, long seed, float step, float arenaRadius,
      double returnChance) {
    Random random = new Random(seed);
    ListCameraHistory history = new ListCameraHistory();
    float[] pastX = new float[latents];
    float[] pastZ = new float[latents];
    float x = 0, z = 0, yaw = 0, pitch = 0;
    int segmentLeft = 0;
    int action = 0;
    float turn = 0;
    int target = -1;
    for (int i = 0; i < latents; i++) {
      if (segmentLeft == 0) {
        segmentLeft = 4 * (1 + random.nextInt(8));
        double roll = random.nextDouble();
        action = roll < 0.55 ? 0 : roll < 0.8 ? 1 : roll < 0.9 ? 2 : roll < 0.95 ? 3 : 4;
        turn = random.nextBoolean() ? TURN_DEGREES : -TURN_DEGREES;
        target = i > 200 && random.nextDouble() < returnChance ? random.nextInt(i - 100) : -1;
        if (target >= 0) {
          segmentLeft = 4 * 30;
        }
      }
      segmentLeft--;
      float forward = 0, right = 0;
      if (target >= 0) {
        turn = steer(yaw, pastX[target] - x, pastZ[target] - z);
        forward = step;
      } else if (arenaRadius > 0 && x * x + z * z > arenaRadius * arenaRadius) {
        turn = steer(yaw, -x, -z);
        forward = step;
      } else {
        switch (action) {
          case 0 -> forward = step;
          case 1 -> forward = step;
          case 2 -> forward = 0;
          case 3 -> right = random.nextBoolean() ? step : -step;
          default -> forward = -step;
        }
        if (action != 1 && action != 2) {
          turn = 0;
        }
      }
      yaw += turn;
      pitch = Math.max(-20f, Math.min(20f, pitch + (random.nextFloat() - 0.5f) * 2f));
      double yawRadians = Math.toRadians(yaw);
      x += (float) (Math.sin(yawRadians) * forward + Math.cos(yawRadians) * right);
      z += (float) (Math.cos(yawRadians) * forward - Math.sin(yawRadians) * right);
      pastX[i] = x;
      pastZ[i] = z;
      history.add(Poses.worldToCamera(x, 0.2f * (float) Math.sin(i / 40.0), z, yaw, pitch));
    }
    return history;
  }

  /** Yaw change (at most one turn step) toward the direction (dx, dz). */
  private static float steer(float yaw, float dx, float dz) {
    double wanted = Math.toDegrees(Math.atan2(dx, dz));
    double difference = ((wanted - yaw) % 360 + 540) % 360 - 180;
    return (float) Math.max(-TURN_DEGREES, Math.min(TURN_DEGREES, difference));
  }
}
