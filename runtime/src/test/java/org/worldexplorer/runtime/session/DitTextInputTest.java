package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** The DiT's text input made from an encoder's output: the first crop_start rows are dropped. */
class DitTextInputTest {

  @Test
  void cropStartRowsOfEmbeddingsAndMaskAreDropped() {
    // 2 instruction rows + 3 kept rows, dim 2: row r holds (10 r, 10 r + 1).
    float[] encoder = {0, 1, 10, 11, 20, 21, 30, 31, 40, 41};
    long[] mask = {1, 1, 1, 1, 0};
    float[] input = DitTextInput.fromEncoder(FloatBuffer.wrap(encoder), mask, 2, 3, 2);
    assertArrayEquals(new float[] {20, 21, 30, 31, 40, 41, 1, 1, 0}, input);
  }

  @Test
  void withoutCropTheInputIsTheOutputAndTheMask() {
    float[] input = DitTextInput.fromEncoder(FloatBuffer.wrap(new float[] {5, 6}), new long[] {1, 0}, 0, 2, 1);
    assertArrayEquals(new float[] {5, 6, 1, 0}, input);
  }

  @Test
  void anEncoderOutputOfTheWrongLengthIsNamed() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> DitTextInput.fromEncoder(FloatBuffer.wrap(new float[8]), new long[5], 2, 3, 2)).getMessage();
    assertTrue(message.contains("returned 8 floats") && message.contains("10 floats"), message);
  }

  @Test
  void copyIntoFillsEmbeddingAndMaskBuffers() {
    FloatBuffer embeds = FloatBuffer.allocate(4);
    FloatBuffer mask = FloatBuffer.allocate(2);
    DitTextInput.copyInto(new float[] {1, 2, 3, 4, 1, 0}, embeds, mask);
    assertArrayEquals(new float[] {1, 2, 3, 4}, embeds.array());
    assertArrayEquals(new float[] {1, 0}, mask.array());
    assertThrows(IllegalArgumentException.class, () -> DitTextInput.copyInto(new float[5], embeds, mask));
  }
}
