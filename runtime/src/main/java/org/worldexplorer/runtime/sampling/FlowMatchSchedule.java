package org.worldexplorer.runtime.sampling;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The flow-matching sampler's noise levels: {@code n + 1} sigmas walking from 1 to 0 and the {@code n} timesteps
 * fed to the DiT, with the Euler update {@code x + (sigma_next - sigma) * v} that walks a latent between them.
 *
 * <p>Shifted schedules follow the upstream scheduler: {@code u_i = 1 - i/n}, {@code sigma_i = s u_i / (1 + (s-1)
 * u_i)}, {@code t_i = 1000 sigma_i}. Each value is computed in double and rounded once to float32, the type the
 * graph takes. Immutable and thread-safe.
 */
public final class FlowMatchSchedule {

  /** Timestep given to every clean context latent in the context pass (stabilisation level minus one). */
  public static final float CONTEXT_TIMESTEP = 14f;

  /** Shift of the 8B 480p image-to-video pipeline. */
  public static final double SHIFT_8B = 5.0;

  private final float[] sigmas;
  private final float[] timesteps;

  private FlowMatchSchedule(float[] sigmas, float[] timesteps) {
    this.sigmas = sigmas;
    this.timesteps = timesteps;
  }

  /** The shifted schedule of {@code steps} Euler steps with shift {@code shift}. */
  public static FlowMatchSchedule shifted(int steps, double shift) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    if (!(shift > 0) || Double.isInfinite(shift)) {
      throw new IllegalArgumentException("shift must be a finite positive number, got " + shift);
    }
    float[] sigmas = new float[steps + 1];
    float[] timesteps = new float[steps];
    for (int i = 0; i <= steps; i++) {
      double u = 1.0 - (double) i / steps;
      double sigma = shift * u / (1.0 + (shift - 1.0) * u);
      sigmas[i] = (float) sigma;
      if (i < steps) {
        timesteps[i] = (float) (1000.0 * sigma);
      }
    }
    return new FlowMatchSchedule(sigmas, timesteps);
  }

  /**
   * A schedule given by its timesteps (descending, in (0, 1000]): sigma_i = t_i / 1000 for each step, then a
   * final sigma of 0.
   */
  public static FlowMatchSchedule fromTimesteps(float... timesteps) {
    if (timesteps.length == 0) {
      throw new IllegalArgumentException("a schedule needs at least one timestep");
    }
    float[] sigmas = new float[timesteps.length + 1];
    for (int i = 0; i < timesteps.length; i++) {
      float t = timesteps[i];
      if (!(t > 0f && t <= 1000f)) {
        throw new IllegalArgumentException("timestep " + i + " must be in (0, 1000], got " + t);
      }
      if (i > 0 && !(t < timesteps[i - 1])) {
        throw new IllegalArgumentException(
            "timesteps must strictly decrease, but timestep " + i + " (" + t + ") follows " + timesteps[i - 1]);
      }
      sigmas[i] = t / 1000f;
    }
    return new FlowMatchSchedule(sigmas, timesteps.clone());
  }

  /** The 8B few-step distilled model: 4 steps, shift 5 (sigmas 1, 0.9375, 0.8333, 0.625, 0). */
  public static FlowMatchSchedule distilled8b() {
    return shifted(4, SHIFT_8B);
  }

  /** The 8B undistilled models: 50 steps, shift 5. */
  public static FlowMatchSchedule full8b() {
    return shifted(50, SHIFT_8B);
  }

  /** The 5B model's fixed 4-step timesteps 1000, 960, 888.8889, 727.2728 (shift 8 rounded as upstream). */
  public static FlowMatchSchedule distilled5b() {
    return fromTimesteps(1000f, 960f, 888.8889f, 727.2728f);
  }

  /** Number of Euler steps; there are {@code steps() + 1} sigmas. */
  public int steps() {
    return timesteps.length;
  }

  /** Sigma {@code i}, for i in 0..steps(); sigma 0 is the start (pure noise at 1 for shifted schedules). */
  public float sigma(int i) {
    return sigmas[i];
  }

  /** Timestep fed to the DiT at step {@code i}, for i in 0..steps()-1. */
  public float timestep(int i) {
    return timesteps[i];
  }

  /** A copy of all {@code steps() + 1} sigmas. */
  public float[] sigmas() {
    return sigmas.clone();
  }

  /** A copy of all {@code steps()} timesteps. */
  public float[] timesteps() {
    return timesteps.clone();
  }

  /** Writes the sigmas into {@code dest} at its position (absolute puts; the position does not move). */
  public void putSigmas(FloatBuffer dest) {
    requireRoom(dest, sigmas.length, "sigmas");
    dest.put(dest.position(), sigmas);
  }

  /** Writes the timesteps into {@code dest} at its position (absolute puts; the position does not move). */
  public void putTimesteps(FloatBuffer dest) {
    requireRoom(dest, timesteps.length, "timesteps");
    dest.put(dest.position(), timesteps);
  }

  /**
   * One Euler step in float32, in place: {@code x[k] += (sigma(step+1) - sigma(step)) * v[k]} for the {@code
   * count} elements from each buffer's position. Positions do not move.
   */
  public void eulerStep(FloatBuffer x, FloatBuffer v, int count, int step) {
    if (step < 0 || step >= steps()) {
      throw new IllegalArgumentException("step must be in 0.." + (steps() - 1) + ", got " + step);
    }
    requireRoom(x, count, "x");
    requireRoom(v, count, "v");
    float dt = sigmas[step + 1] - sigmas[step];
    int xi = x.position();
    int vi = v.position();
    for (int k = 0; k < count; k++) {
      x.put(xi + k, x.get(xi + k) + dt * v.get(vi + k));
    }
  }

  private static void requireRoom(FloatBuffer buffer, int count, String what) {
    if (count < 0 || buffer.remaining() < count) {
      throw new IllegalArgumentException(
          what + " buffer has " + buffer.remaining() + " floats remaining but " + count + " are needed");
    }
  }

  @Override
  public String toString() {
    return "FlowMatchSchedule[steps=" + steps() + ", sigmas=" + Arrays.toString(sigmas) + "]";
  }
}
