package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class FiniteCheckTest {

  @Test
  void findsTheFirstNonFiniteValueInsideTheRange() {
    FloatBuffer values = FloatBuffer.wrap(new float[] {Float.NaN, 1, 2, Float.POSITIVE_INFINITY, Float.NaN});
    assertEquals(2, FiniteCheck.firstNonFinite(values, 1, 4));
    assertEquals(-1, FiniteCheck.firstNonFinite(values, 1, 2));
    assertEquals(0, values.position());
  }

  @Test
  void errorNamesGraphOutputIndexAndValue() {
    FloatBuffer values = FloatBuffer.wrap(new float[] {0, 0, Float.NEGATIVE_INFINITY});
    GraphRunException e = assertThrows(GraphRunException.class,
        () -> FiniteCheck.requireFinite("vae_decoder.onnx", "frames", values, 0, 3));
    assertEquals("vae_decoder.onnx: output 'frames' holds -Infinity at element 2 of 3 (row-major); the graph"
        + " produced a non-finite value, so its result is unusable", e.getMessage());
    assertDoesNotThrow(() -> FiniteCheck.requireFinite("vae_decoder.onnx", "frames", values, 0, 2));
  }
}
