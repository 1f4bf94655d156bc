package org.worldexplorer.runtime.bundle;

import java.util.List;

/**
 * The flow-matching sampler the DiT graph runs (its step loop is unrolled, so {@code steps} is fixed).
 *
 * @param kind always {@code flow_match_euler}
 * @param steps {@code S}
 * @param shift schedule shift used when {@code sigmas} is null
 * @param sigmas null (the host computes them from {@code shift}) or {@code S + 1} values from 1 down to 0
 * @param contextTimestep the timestep of the context pass
 */
public record SamplerSpec(String kind, int steps, double shift, List<Double> sigmas, double contextTimestep) {

  /** The only sampler kind of format version 1. */
  public static final String FLOW_MATCH_EULER = "flow_match_euler";

  public SamplerSpec {
    Require.present(kind, "sampler.kind");
    if (!kind.equals(FLOW_MATCH_EULER)) {
      throw new IllegalArgumentException("sampler.kind must be \"" + FLOW_MATCH_EULER + "\", got \"" + kind + "\"");
    }
    Require.atLeast(steps, 1, "sampler.steps");
    Require.positive(shift, "sampler.shift");
    if (sigmas != null) {
      sigmas = Require.list(sigmas, "sampler.sigmas");
      requireSchedule(sigmas, steps);
    }
    Require.nonNegative(contextTimestep, "sampler.context_timestep");
  }

  private static void requireSchedule(List<Double> sigmas, int steps) {
    if (sigmas.size() != steps + 1) {
      throw new IllegalArgumentException("sampler.sigmas must hold steps + 1 = " + (steps + 1)
          + " values, got " + sigmas.size() + ": " + sigmas);
    }
    if (sigmas.get(0) != 1.0 || sigmas.get(steps) != 0.0) {
      throw new IllegalArgumentException("sampler.sigmas must start at 1 and end at 0, got " + sigmas);
    }
    for (int i = 1; i <= steps; i++) {
      if (!(sigmas.get(i) < sigmas.get(i - 1))) {
        throw new IllegalArgumentException("sampler.sigmas must decrease strictly, but sigmas[" + i + "] = "
            + sigmas.get(i) + " follows " + sigmas.get(i - 1) + " in " + sigmas);
      }
    }
  }
}
