package org.worldexplorer.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class FlowMatchScheduleTest {

  @Test
  void distilled8bHasTheSpecSigmasAndTimesteps() {
    FlowMatchSchedule s = FlowMatchSchedule.distilled8b();
    assertEquals(4, s.steps());
    assertArrayEquals(new float[] {1f, 0.9375f, 5f / 6f, 0.625f, 0f}, s.sigmas());
    assertArrayEquals(new float[] {1000f, 937.5f, 833.3333f, 625f}, s.timesteps(), 1e-4f);
  }

  @Test
  void full8bStartsWithTheSpecTimesteps() {
    FlowMatchSchedule s = FlowMatchSchedule.full8b();
    assertEquals(50, s.steps());
    assertEquals(51, s.sigmas().length);
    // u = 0.98: 5*0.98 / (1 + 4*0.98) = 4.9 / 4.92; u = 0.96: 4.8 / 4.84
    assertEquals(1000f, s.timestep(0));
    // the spec prints two decimals: 995.935 and 991.736
    assertEquals(995.94f, s.timestep(1), 0.0051f);
    assertEquals(991.74f, s.timestep(2), 0.0051f);
    assertEquals((float) (1000.0 * 4.9 / 4.92), s.timestep(1));
    assertEquals((float) (4.8 / 4.84), s.sigma(2));
    // last step: u = 0.02 -> 0.1 / 1.08
    assertEquals((float) (0.1 / 1.08), s.sigma(49));
    assertEquals(0f, s.sigma(50));
  }

  @Test
  void fullScheduleDecreasesStrictly() {
    float[] sigmas = FlowMatchSchedule.full8b().sigmas();
    for (int i = 1; i < sigmas.length; i++) {
      assertTrue(sigmas[i] < sigmas[i - 1], "sigma " + i + " must be below sigma " + (i - 1));
    }
  }

  @Test
  void distilled5bUsesTheFixedTimesteps() {
    FlowMatchSchedule s = FlowMatchSchedule.distilled5b();
    assertArrayEquals(new float[] {1000f, 960f, 888.8889f, 727.2728f}, s.timesteps());
    assertArrayEquals(new float[] {1f, 0.96f, 0.8888889f, 0.7272728f, 0f}, s.sigmas(), 1e-7f);
  }

  @Test
  void distilled5bIsShiftEightWithinRounding() {
    // 8u / (1 + 7u) at u = 0.75, 0.5, 0.25 gives 0.96, 0.8889, 0.72727
    assertArrayEquals(
        FlowMatchSchedule.shifted(4, 8.0).timesteps(), FlowMatchSchedule.distilled5b().timesteps(), 2e-4f);
  }

  @Test
  void contextTimestepIsFourteen() {
    assertEquals(14f, FlowMatchSchedule.CONTEXT_TIMESTEP);
  }

  @Test
  void eulerStepMovesByDeltaSigmaTimesVelocity() {
    FloatBuffer x = direct(1f, 2f);
    FloatBuffer v = direct(2f, -4f);
    FlowMatchSchedule.distilled8b().eulerStep(x, v, 2, 0);
    // dt = 0.9375 - 1 = -0.0625
    assertEquals(0.875f, x.get(0));
    assertEquals(2.25f, x.get(1));
    assertEquals(0, x.position());
  }

  @Test
  void eulerWalkFromNoiseReachesTheCleanLatentUnderTheVelocityConvention() {
    // x_sigma = (1 - sigma) clean + sigma noise, v = noise - clean: stepping all the way lands on clean.
    float[] clean = {0.5f, -1.25f, 3f};
    float[] noise = {-0.3f, 0.7f, 1.1f};
    FloatBuffer x = direct(noise);
    FloatBuffer v = direct(noise[0] - clean[0], noise[1] - clean[1], noise[2] - clean[2]);
    FlowMatchSchedule s = FlowMatchSchedule.full8b();
    for (int step = 0; step < s.steps(); step++) {
      s.eulerStep(x, v, 3, step);
    }
    for (int k = 0; k < 3; k++) {
      assertEquals(clean[k], x.get(k), 1e-5f);
    }
  }

  @Test
  void putSigmasWritesAtThePositionWithoutMovingIt() {
    FloatBuffer dest = FloatBuffer.allocate(7);
    dest.position(1);
    FlowMatchSchedule.distilled8b().putSigmas(dest);
    assertEquals(1, dest.position());
    assertEquals(0.9375f, dest.get(2));
    assertEquals(0f, dest.get(5));
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> FlowMatchSchedule.shifted(0, 5));
    assertThrows(IllegalArgumentException.class, () -> FlowMatchSchedule.shifted(4, 0));
    assertThrows(IllegalArgumentException.class, () -> FlowMatchSchedule.shifted(4, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> FlowMatchSchedule.fromTimesteps(1000f, 1000f));
    assertThrows(IllegalArgumentException.class, () -> FlowMatchSchedule.fromTimesteps(1200f));
    FlowMatchSchedule s = FlowMatchSchedule.distilled8b();
    assertThrows(IllegalArgumentException.class, () -> s.eulerStep(direct(1f), direct(1f), 1, 4));
    assertThrows(IllegalArgumentException.class, () -> s.eulerStep(direct(1f), direct(1f), 2, 0));
    assertThrows(IllegalArgumentException.class, () -> s.putSigmas(FloatBuffer.allocate(4)));
  }

  private static FloatBuffer direct(float... values) {
    FloatBuffer b =
        ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(0, values);
    return b;
  }
}
