package org.worldexplorer.runtime.bundle;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA execution provider's options that matter here, typed. {@link #providerOptions()} is the exact string
 * map handed to ONNX Runtime, under the names its CUDA provider parses ({@code cuda_execution_provider_info.cc});
 * the defaults are ONNX Runtime's own. The provider rejects unknown names and bad values when it is appended.
 *
 * @param deviceId the CUDA device index ({@code device_id})
 * @param memoryLimitBytes the cap on ONNX Runtime's GPU memory arena ({@code gpu_mem_limit}); empty: no cap
 * @param convAlgoSearch how cuDNN picks convolution algorithms ({@code cudnn_conv_algo_search})
 * @param tf32 whether float32 matrix products and convolutions may use TF32 tensor cores ({@code use_tf32})
 */
public record CudaOptions(int deviceId, OptionalLong memoryLimitBytes, ConvAlgoSearch convAlgoSearch, boolean tf32) {

  /** ONNX Runtime's names for the provider options set here. */
  public static final String DEVICE_ID = "device_id";
  public static final String GPU_MEM_LIMIT = "gpu_mem_limit";
  public static final String ARENA_EXTEND_STRATEGY = "arena_extend_strategy";
  public static final String CUDNN_CONV_ALGO_SEARCH = "cudnn_conv_algo_search";
  public static final String CUDNN_CONV_USE_MAX_WORKSPACE = "cudnn_conv_use_max_workspace";
  public static final String DO_COPY_IN_DEFAULT_STREAM = "do_copy_in_default_stream";
  public static final String USE_TF32 = "use_tf32";

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)", Pattern.CASE_INSENSITIVE);

  /** cuDNN's convolution algorithm search ({@code OrtCudnnConvAlgoSearch}). */
  public enum ConvAlgoSearch {
    /** Times every algorithm on the first run and keeps the fastest: slow start, fastest steps. */
    EXHAUSTIVE,
    /** Asks cuDNN's heuristics: quick start, usually fast. */
    HEURISTIC,
    /** One fixed algorithm (implicit precomputed GEMM): the same kernels every run. */
    DEFAULT
  }

  public CudaOptions {
    if (deviceId < 0) {
      throw new IllegalArgumentException("the CUDA device index must be 0 or more, got " + deviceId);
    }
    if (memoryLimitBytes == null) {
      throw new IllegalArgumentException("memoryLimitBytes must not be null; use OptionalLong.empty() for no cap");
    }
    if (memoryLimitBytes.isPresent() && memoryLimitBytes.getAsLong() <= 0) {
      throw new IllegalArgumentException("the CUDA memory limit must be above 0 bytes, got "
          + memoryLimitBytes.getAsLong());
    }
    if (convAlgoSearch == null) {
      throw new IllegalArgumentException("convAlgoSearch must not be null; ONNX Runtime's default is EXHAUSTIVE");
    }
  }

  /** ONNX Runtime's defaults: device 0, no memory cap, exhaustive cuDNN search, TF32 on. */
  public static CudaOptions defaults() {
    return new CudaOptions(0, OptionalLong.empty(), ConvAlgoSearch.EXHAUSTIVE, true);
  }

  /**
   * The same device and memory cap with the choices that give the same kernels, in the same precision, every run:
   * one fixed cuDNN algorithm instead of a timed search (which may pick another one next time) and no TF32.
   */
  public CudaOptions deterministic() {
    return new CudaOptions(deviceId, memoryLimitBytes, ConvAlgoSearch.DEFAULT, false);
  }

  /** Whether these are the {@link #deterministic()} choices. */
  public boolean isDeterministic() {
    return convAlgoSearch == ConvAlgoSearch.DEFAULT && !tf32;
  }

  public CudaOptions withDeviceId(int device) {
    return new CudaOptions(device, memoryLimitBytes, convAlgoSearch, tf32);
  }

  public CudaOptions withMemoryLimitBytes(OptionalLong limit) {
    return new CudaOptions(deviceId, limit, convAlgoSearch, tf32);
  }

  public CudaOptions withConvAlgoSearch(ConvAlgoSearch search) {
    return new CudaOptions(deviceId, memoryLimitBytes, search, tf32);
  }

  public CudaOptions withTf32(boolean on) {
    return new CudaOptions(deviceId, memoryLimitBytes, convAlgoSearch, on);
  }

  /**
   * The provider options, in a fixed order, as ONNX Runtime's CUDA provider takes them. With a memory cap the
   * arena grows by what is asked rather than to the next power of two, so the cap is not reached by rounding.
   * The copy stream and cuDNN workspace are pinned to ONNX Runtime's defaults so a log names every choice.
   */
  public Map<String, String> providerOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put(DEVICE_ID, Integer.toString(deviceId));
    memoryLimitBytes.ifPresent(bytes -> options.put(GPU_MEM_LIMIT, Long.toString(bytes)));
    options.put(ARENA_EXTEND_STRATEGY, memoryLimitBytes.isPresent() ? "kSameAsRequested" : "kNextPowerOfTwo");
    options.put(CUDNN_CONV_ALGO_SEARCH, convAlgoSearch.name());
    options.put(CUDNN_CONV_USE_MAX_WORKSPACE, "1");
    options.put(DO_COPY_IN_DEFAULT_STREAM, "1");
    options.put(USE_TF32, tf32 ? "1" : "0");
    return Collections.unmodifiableMap(options);
  }

  /** One line for people: {@code device 0, memory limit 12G, cuDNN search EXHAUSTIVE, TF32 on}. */
  public String summary() {
    return "device " + deviceId + ", memory limit "
        + (memoryLimitBytes.isPresent() ? formatSize(memoryLimitBytes.getAsLong()) : "none") + ", cuDNN search "
        + convAlgoSearch + ", TF32 " + (tf32 ? "on" : "off");
  }

  /** The provider options as {@code key=value} pairs separated by spaces. */
  public String providerOptionsLine() {
    StringBuilder line = new StringBuilder();
    providerOptions().forEach((k, v) -> line.append(line.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return line.toString();
  }

  /**
   * Parses a memory size: bytes ({@code 1073741824}) or a number with K, M, G or T, in powers of 1024
   * ({@code 12G}, {@code 800M}, {@code 1.5G}); the result must be whole bytes, above 0.
   */
  public static long parseSize(String text) {
    String what = "a memory size is bytes or a number with K, M, G or T (powers of 1024), like 12G, 800M or"
        + " 1073741824";
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(what + "; got '" + text + "'");
    }
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : "KMGT".indexOf(unit) + 1;
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
    if (bytes.signum() <= 0) {
      throw new IllegalArgumentException("a memory size must be above 0 bytes; got '" + text + "'");
    }
    try {
      return bytes.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes or is too large; " + what);
    }
  }

  /** The shortest exact form: {@code 12G}, {@code 800M}, or bytes. */
  public static String formatSize(long bytes) {
    String units = "KMGT";
    for (int power = units.length(); power >= 1; power--) {
      long unit = 1L << (10 * power);
      if (bytes > 0 && bytes % unit == 0) {
        return bytes / unit + units.substring(power - 1, power);
      }
    }
    return Long.toString(bytes);
  }
}
