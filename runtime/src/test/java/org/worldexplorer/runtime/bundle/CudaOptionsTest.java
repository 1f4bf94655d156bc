package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.bundle.CudaOptions.ConvAlgoSearch;

/** The CUDA options: the provider option map ONNX Runtime gets, the deterministic variant, size parsing. */
class CudaOptionsTest {

  @Test
  void defaultsAreOnnxRuntimesOwnAndSpelledOutInTheMap() {
    CudaOptions defaults = CudaOptions.defaults();
    assertEquals(new CudaOptions(0, OptionalLong.empty(), ConvAlgoSearch.EXHAUSTIVE, true), defaults);
    Map<String, String> map = defaults.providerOptions();
    assertEquals(List.of("device_id", "arena_extend_strategy", "cudnn_conv_algo_search",
        "cudnn_conv_use_max_workspace", "do_copy_in_default_stream", "use_tf32"), List.copyOf(map.keySet()));
    assertEquals("0", map.get("device_id"));
    assertEquals("kNextPowerOfTwo", map.get("arena_extend_strategy"));
    assertEquals("EXHAUSTIVE", map.get("cudnn_conv_algo_search"));
    assertEquals("1", map.get("cudnn_conv_use_max_workspace"));
    assertEquals("1", map.get("do_copy_in_default_stream"));
    assertEquals("1", map.get("use_tf32"));
    assertFalse(map.containsKey("gpu_mem_limit"), "no cap means the key is left to ONNX Runtime (SIZE_MAX)");
    assertEquals("device 0, memory limit none, cuDNN search EXHAUSTIVE, TF32 on", defaults.summary());
  }

  @Test
  void aMemoryCapIsPassedInBytesAndTheArenaGrowsByWhatIsAsked() {
    CudaOptions capped = new CudaOptions(3, OptionalLong.of(12L << 30), ConvAlgoSearch.HEURISTIC, false);
    assertEquals("device_id=3 gpu_mem_limit=12884901888 arena_extend_strategy=kSameAsRequested"
        + " cudnn_conv_algo_search=HEURISTIC cudnn_conv_use_max_workspace=1 do_copy_in_default_stream=1 use_tf32=0",
        capped.providerOptionsLine());
    assertEquals("device 3, memory limit 12G, cuDNN search HEURISTIC, TF32 off", capped.summary());
    assertThrows(UnsupportedOperationException.class, () -> capped.providerOptions().put("use_tf32", "1"));
  }

  @Test
  void theDeterministicVariantFixesTheAlgorithmAndDropsTf32ButKeepsDeviceAndCap() {
    CudaOptions fast = new CudaOptions(1, OptionalLong.of(800L << 20), ConvAlgoSearch.EXHAUSTIVE, true);
    CudaOptions fixed = fast.deterministic();
    assertEquals(new CudaOptions(1, OptionalLong.of(800L << 20), ConvAlgoSearch.DEFAULT, false), fixed);
    assertEquals("DEFAULT", fixed.providerOptions().get("cudnn_conv_algo_search"));
    assertEquals("0", fixed.providerOptions().get("use_tf32"));
    assertEquals("838860800", fixed.providerOptions().get("gpu_mem_limit"));
    assertTrue(fixed.isDeterministic());
    assertFalse(fast.isDeterministic());
    assertFalse(fast.withConvAlgoSearch(ConvAlgoSearch.DEFAULT).isDeterministic(), "TF32 still on");
    assertFalse(fast.withTf32(false).isDeterministic(), "timed search still on");
    assertEquals(fixed, fixed.deterministic());
  }

  @Test
  void sizesParseInPowersOf1024() {
    assertEquals(12L << 30, CudaOptions.parseSize("12G"));
    assertEquals(800L << 20, CudaOptions.parseSize("800M"));
    assertEquals(800L << 20, CudaOptions.parseSize("800m"));
    assertEquals(512, CudaOptions.parseSize("0.5K"));
    assertEquals(3L << 29, CudaOptions.parseSize("1.5G"));
    assertEquals(2L << 40, CudaOptions.parseSize("2T"));
    assertEquals(1073741824L, CudaOptions.parseSize(" 1073741824 "));
    assertEquals("12G", CudaOptions.formatSize(12L << 30));
    assertEquals("1536M", CudaOptions.formatSize(3L << 29));
    assertEquals("1000", CudaOptions.formatSize(1000));
  }

  @Test
  void badSizesSayWhatASizeLooksLike() {
    for (String bad : new String[] {"12GB", "twelve", "-5G", "", "12 G"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaOptions.parseSize(bad));
      assertEquals("a memory size is bytes or a number with K, M, G or T (powers of 1024), like 12G, 800M or"
          + " 1073741824; got '" + bad + "'", e.getMessage());
    }
    assertEquals("a memory size must be above 0 bytes; got '0M'",
        assertThrows(IllegalArgumentException.class, () -> CudaOptions.parseSize("0M")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CudaOptions.parseSize("1.5"))
        .getMessage().startsWith("'1.5' is not a whole number of bytes or is too large; "));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CudaOptions.parseSize("9000000T"))
        .getMessage().startsWith("'9000000T' is not a whole number of bytes or is too large; "));
  }

  @Test
  void badValuesAreRejectedWithTheRule() {
    assertEquals("the CUDA device index must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
        () -> CudaOptions.defaults().withDeviceId(-1)).getMessage());
    assertEquals("the CUDA memory limit must be above 0 bytes, got 0", assertThrows(IllegalArgumentException.class,
        () -> CudaOptions.defaults().withMemoryLimitBytes(OptionalLong.of(0))).getMessage());
    assertEquals("convAlgoSearch must not be null; ONNX Runtime's default is EXHAUSTIVE",
        assertThrows(IllegalArgumentException.class, () -> CudaOptions.defaults().withConvAlgoSearch(null))
            .getMessage());
  }
}
