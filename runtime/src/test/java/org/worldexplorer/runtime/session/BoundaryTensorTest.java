package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.bundle.DType;

/** Float32 host buffers behind graph tensors of the manifest's dtype, half types converted both ways. */
class BoundaryTensorTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  // 1/3 and 1000.1 are not exact in either half type; 0.5, -2 and 0 are.
  private static final float[] VALUES = {0.5f, -2f, 0f, 1f / 3f, 1000.1f, 65504f};

  private static float[] tensorValues(BoundaryTensor t) throws Exception {
    FloatBuffer read = t.tensor().getFloatBuffer();
    float[] out = new float[read.remaining()];
    read.get(out);
    return out;
  }

  @Test
  void aFloat32TensorReadsTheHostBufferInPlace() throws Exception {
    try (BoundaryTensor t = BoundaryTensor.create(ENV, DType.FLOAT32, new long[] {2, 3})) {
      t.floats().put(0, VALUES);
      assertEquals(OnnxJavaType.FLOAT, t.tensor().getInfo().type);
      assertArrayEquals(VALUES, tensorValues(t));
      t.floats().put(1, 7f);
      assertEquals(7f, tensorValues(t)[1], "the tensor reads the host buffer itself, without publish()");
    }
  }

  @Test
  void float16IsRoundedToTheNearestHalfAndReadBack() throws Exception {
    try (BoundaryTensor t = BoundaryTensor.create(ENV, DType.FLOAT16, new long[] {1, 6})) {
      t.floats().put(0, VALUES);
      t.publish();
      assertEquals(OnnxJavaType.FLOAT16, t.tensor().getInfo().type);
      // float16 has 10 mantissa bits: 1/3 -> 0.33325195, 1000.1 -> 1000 (steps of 0.5 there).
      float[] expected = {0.5f, -2f, 0f, 0.33325195f, 1000f, 65504f};
      assertArrayEquals(expected, tensorValues(t));
      t.floats().put(0, new float[6]);
      t.pull();
      float[] pulled = new float[6];
      t.floats().get(0, pulled);
      assertArrayEquals(expected, pulled);
    }
  }

  @Test
  void bfloat16KeepsEightMantissaBits() throws Exception {
    try (BoundaryTensor t = BoundaryTensor.create(ENV, DType.BFLOAT16, new long[] {6})) {
      t.floats().put(0, VALUES);
      t.publish();
      assertEquals(OnnxJavaType.BFLOAT16, t.tensor().getInfo().type);
      // 1/3 -> 0.333984375, 1000.1 -> 1000 (steps of 4 there), 65504 -> 65536.
      assertArrayEquals(new float[] {0.5f, -2f, 0f, 0.333984375f, 1000f, 65536f}, tensorValues(t));
    }
  }

  @Test
  void anIntegerDtypeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BoundaryTensor.create(ENV, DType.INT64, new long[] {1}));
  }
}
