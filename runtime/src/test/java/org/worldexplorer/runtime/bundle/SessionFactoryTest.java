package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Execution provider choice on this CPU-only build (no GPU is pretended), and the settings' rules. */
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
  void autoWithCudaOptionsFallsBackWithTheReasonAndKeepsTheOptions() throws Exception {
    CudaOptions cuda = new CudaOptions(1, OptionalLong.of(CudaOptions.parseSize("12G")),
        CudaOptions.ConvAlgoSearch.HEURISTIC, false);
    SessionSettings settings = SessionSettings.defaults().withCuda(cuda);
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.AUTO, settings)) {
      assertEquals(ExecutionProvider.CPU, factory.provider());
      assertEquals("CUDA is not available: this ONNX Runtime build has no CUDA execution provider (it is the CPU"
          + " build)", factory.fallbackReason().orElseThrow());
      assertSame(cuda, factory.settings().cuda(), "the options that would be handed to ONNX Runtime");
      assertEquals("device_id=1 gpu_mem_limit=12884901888 arena_extend_strategy=kSameAsRequested"
          + " cudnn_conv_algo_search=HEURISTIC cudnn_conv_use_max_workspace=1 do_copy_in_default_stream=1"
          + " use_tf32=0", factory.settings().cuda().providerOptionsLine());
    }
  }

  @Test
  void cudaAskedForWithOptionsFailsTheSameClearWay() {
    SessionSettings settings = SessionSettings.defaults().withCuda(CudaOptions.defaults().withDeviceId(2));
    BundleException e = assertThrows(BundleException.class,
        () -> SessionFactory.create(ExecutionProvider.CUDA, settings));
    assertTrue(e.getMessage().startsWith("CUDA was requested (--device cuda) but this ONNX Runtime build has no CUDA"
        + " execution provider"), e.getMessage());
    assertTrue(e.getMessage().contains("Run with --device cpu (or auto), or use the -Pcuda build"), e.getMessage());
  }

  @Test
  void cpuIgnoresTheCudaOptions() throws Exception {
    SessionSettings settings = SessionSettings.defaults().withCuda(CudaOptions.defaults().deterministic());
    try (SessionFactory factory = SessionFactory.create(ExecutionProvider.CPU, settings)) {
      assertEquals(ExecutionProvider.CPU, factory.provider());
      assertTrue(factory.fallbackReason().isEmpty());
      assertEquals(settings, factory.settings());
    }
  }

  @Test
  void settingsRejectBadValues() {
    assertEquals("intraOpThreads must be 0 (ONNX Runtime picks) or more, got -1",
        assertThrows(IllegalArgumentException.class,
            () -> new SessionSettings(-1, true, CudaOptions.defaults())).getMessage());
    assertEquals("cuda must not be null; use CudaOptions.defaults()",
        assertThrows(IllegalArgumentException.class, () -> new SessionSettings(0, true, null)).getMessage());
    assertEquals(3, SessionSettings.defaults().withIntraOpThreads(3).intraOpThreads());
  }

  @Test
  void reproducibleSettingsPinDeterministicKernelsAndCudaChoices() {
    CudaOptions fast = new CudaOptions(1, OptionalLong.of(800L << 20), CudaOptions.ConvAlgoSearch.EXHAUSTIVE, true);
    SessionSettings settings = new SessionSettings(4, false, fast).reproducible();
    assertEquals(new SessionSettings(4, true,
        new CudaOptions(1, OptionalLong.of(800L << 20), CudaOptions.ConvAlgoSearch.DEFAULT, false)), settings);
  }
}
