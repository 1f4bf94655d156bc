package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** nvidia-smi's answer, in MiB, as the probe reads it. */
class NvidiaSmiProbeTest {

  private static final long MIB = 1L << 20;

  @Test
  void readsTotalAndFreeInMebibytes() {
    GpuMemoryProbe.Reading reading = NvidiaSmiProbe.parse("81559, 80441\n", 0);
    assertTrue(reading.known());
    assertEquals(81_559 * MIB, reading.totalBytes());
    assertEquals(80_441 * MIB, reading.freeBytes());
  }

  @Test
  void oddAnswersAreUnknownAndQuoted() {
    GpuMemoryProbe.Reading words = NvidiaSmiProbe.parse("[N/A], [N/A]", 1);
    assertFalse(words.known());
    assertEquals("nvidia-smi's answer for GPU 1 is not two numbers: \"[N/A], [N/A]\"", words.unknownReason());
    assertEquals("nvidia-smi's answer for GPU 0 is not \"<total MiB>, <free MiB>\": \"No devices were found\"",
        NvidiaSmiProbe.parse("No devices were found", 0).unknownReason());
    assertEquals("nvidia-smi reports 90 MiB free of 80 MiB for GPU 0",
        NvidiaSmiProbe.parse("80, 90", 0).unknownReason());
  }

  @Test
  void aKnownReadingMustBeConsistent() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GpuMemoryProbe.Reading.of(10, 20));
    assertEquals("a GPU memory reading needs 0 <= free <= total, got free 20 of 10", e.getMessage());
  }
}
