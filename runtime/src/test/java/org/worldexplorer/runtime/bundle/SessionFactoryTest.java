package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

/** Execution provider choice on this CPU-only build, and the settings' rules. */
class SessionFactoryTest {

  @Test
  void cpuIsUsedAsAskedWithoutAReason() throws Exception {
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults())) {
      assertEquals(ExecutionProvider.CPU, factory.provider());
      assertTrue(factory.fallbackReason().isEmpty());
    }
  }

  @Test
  void autoFallsBackToTheCpu() throws Exception {
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.AUTO, SessionSettings.defaults())) {
      assertEquals(ExecutionProvider.CPU, factory.provider());
      assertTrue(factory.fallbackReason().orElseThrow().contains("no CUDA execution provider"));
      try (OrtSession session = factory.open(TestBundles.path("valid").resolve("vae_encoder.onnx"))) {
        assertEquals(1, session.getNumInputs());
      }
    }
  }

  @Test
  void cudaAskedForFailsWithWhatToDo() {
    BundleException e = assertThrows(BundleException.class,
        () -> SessionFactory.create(ExecutionProvider.CUDA, SessionSettings.defaults()));
    assertTrue(e.getMessage().contains("Run with --device cpu (or auto), or use the -Pcuda build"), e.getMessage());
  }

  @Test
  void openAfterCloseIsAnIllegalState() throws Exception {
    SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults());
    factory.close();
    factory.close();
    assertThrows(IllegalStateException.class,
        () -> factory.open(TestBundles.path("valid").resolve("vae_encoder.onnx")));
  }

  @Test
  void deviceNamesParse() {
    assertEquals(ExecutionProvider.AUTO, ExecutionProvider.parse("auto"));
    assertEquals(ExecutionProvider.CUDA, ExecutionProvider.parse("CUDA"));
    assertEquals(ExecutionProvider.CPU, ExecutionProvider.parse("Cpu"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExecutionProvider.parse("gpu"));
    assertEquals("device must be auto, cuda or cpu, got \"gpu\"", e.getMessage());
  }

  @Test
  void settingsRejectNegativeCounts() {
    assertEquals("intraOpThreads must be 0 (ONNX Runtime picks) or more, got -1",
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(-1, true, 0)).getMessage());
    assertEquals("cudaDevice must be 0 or more, got -2",
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, true, -2)).getMessage());
    assertEquals(3, SessionSettings.defaults().withIntraOpThreads(3).intraOpThreads());
  }
}
