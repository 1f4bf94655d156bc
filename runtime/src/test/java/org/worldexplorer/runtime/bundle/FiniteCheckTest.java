package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
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
  void findsNonFiniteHalfPrecisionValues() throws GraphRunException {
    short one16 = Fp16Conversions.floatToFp16(1f);
    short inf16 = Fp16Conversions.floatToFp16(Float.POSITIVE_INFINITY);
    ShortBuffer fp16 = ShortBuffer.wrap(new short[] {one16, Fp16Conversions.floatToFp16(70000f), inf16});
    // 70000 is beyond float16's largest value (65504): it rounds to infinity, which the check must catch.
    assertEquals(0, FiniteCheck.firstNonFinite(fp16, DType.FLOAT16, 1, 2));
    assertEquals(-1, FiniteCheck.firstNonFinite(fp16, DType.FLOAT16, 0, 1));
    ShortBuffer bf16 = ShortBuffer.wrap(new short[] {Fp16Conversions.floatToBf16(70000f),
        Fp16Conversions.floatToBf16(Float.NaN)});
    assertEquals(-1, FiniteCheck.firstNonFinite(bf16, DType.BFLOAT16, 0, 1), "70000 is finite in bfloat16");
    GraphRunException e = assertThrows(GraphRunException.class,
        () -> FiniteCheck.requireFinite("dit_chunk.onnx", "chunk_latents", bf16, DType.BFLOAT16, 0, 2));
    assertEquals("dit_chunk.onnx: output 'chunk_latents' holds NaN at element 1 of 2 (row-major); the graph"
        + " produced a non-finite value, so its result is unusable", e.getMessage());
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
