package org.worldexplorer.runtime.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Java against the golden file written by {@code models/tools/noise_reference.py}: every bit must match. */
class SeededNoiseGoldenTest {

  @Test
  void mixIsSplitMix64() {
    // SplitMix64 seeded with 0 first returns mix(0 + golden gamma) = 0xE220A8397B1DCDAF.
    assertEquals(0xE220A8397B1DCDAFL, SeededNoise.mix(0x9E3779B97F4A7C15L));
  }

  @Test
  void javaMatchesPythonBitForBit() throws IOException {
    JsonNode golden = readGolden();
    int checked = 0;
    for (JsonNode c : golden.get("cases")) {
      long seed = c.get("seed").asLong();
      long first = c.get("first_latent").asLong();
      int channels = c.get("channels").asInt();
      int latents = c.get("latents").asInt();
      int height = c.get("height").asInt();
      int width = c.get("width").asInt();
      JsonNode bits = c.get("bits");
      assertEquals(channels * latents * height * width, bits.size(), "golden case size");
      FloatBuffer noise = direct(bits.size());
      new SeededNoise(seed).fillChunk(noise, channels, latents, height, width, first);
      for (int i = 0; i < bits.size(); i++) {
        int expected = (int) bits.get(i).asLong();
        int actual = Float.floatToRawIntBits(noise.get(i));
        assertEquals(
            expected,
            actual,
            () -> "seed " + seed + ", first latent " + first + ": float32 bits differ, Python "
                + Integer.toHexString(expected) + " vs Java " + Integer.toHexString(actual));
        checked++;
      }
    }
    assertTrue(checked >= 300, "the golden file should hold a few hundred values, held " + checked);
  }

  private static JsonNode readGolden() throws IOException {
    try (InputStream in = SeededNoiseGoldenTest.class.getResourceAsStream("noise_golden.json")) {
      assertNotNull(in, "noise_golden.json is missing: run python3 models/tools/noise_reference.py");
      JsonNode root = new ObjectMapper().readTree(in);
      assertEquals("worldexplorer-noise-golden", root.get("format").asText());
      return root;
    }
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
