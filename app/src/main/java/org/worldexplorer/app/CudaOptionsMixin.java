package org.worldexplorer.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.CudaOptions.ConvAlgoSearch;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The CUDA execution provider's options on the command line, shared by explore, render, replay, bench and doctor.
 * Each flag left out keeps the value of the base options (ONNX Runtime's defaults, or a log's for replay).
 */
final class CudaOptionsMixin {

  @Option(names = "--cuda-device", paramLabel = "N", converter = DeviceIndex.class,
      description = "CUDA device index (default: 0).")
  Integer device;

  @Option(names = "--cuda-memory-limit", paramLabel = "SIZE", converter = Size.class,
      description = "Cap ONNX Runtime's GPU memory arena, e.g. 12G or 800M (default: no cap).")
  Long memoryLimit;

  @Option(names = "--cudnn-search", paramLabel = "exhaustive|heuristic|default",
      description = "How cuDNN picks convolution algorithms: time them all, ask its heuristics, or one fixed"
          + " algorithm (default: exhaustive).")
  ConvAlgoSearch search;

  @Option(names = "--tf32", negatable = true,
      description = "Let float32 math use TF32 tensor cores on Ampere and newer GPUs (default: on).")
  Boolean tf32;

  /** ONNX Runtime's defaults with the flags given applied. */
  CudaOptions options() {
    return over(CudaOptions.defaults());
  }

  /** {@code base} with the flags given applied. */
  CudaOptions over(CudaOptions base) {
    CudaOptions options = base;
    if (device != null) {
      options = options.withDeviceId(device);
    }
    if (memoryLimit != null) {
      options = options.withMemoryLimitBytes(OptionalLong.of(memoryLimit));
    }
    if (search != null) {
      options = options.withConvAlgoSearch(search);
    }
    if (tf32 != null) {
      options = options.withTf32(tf32);
    }
    return options;
  }

  /**
   * For commands that replay a log, which always use the deterministic choices: what is wrong when a flag asks
   * for another one, or empty.
   */
  Optional<String> conflictWithReplay(String command) {
    List<String> asked = new ArrayList<>();
    if (search != null && search != ConvAlgoSearch.DEFAULT) {
      asked.add("--cudnn-search " + search.name().toLowerCase(Locale.ROOT));
    }
    if (Boolean.TRUE.equals(tf32)) {
      asked.add("--tf32");
    }
    return asked.isEmpty() ? Optional.empty() : Optional.of(command + " always uses --cudnn-search default and"
        + " --no-tf32 so that the frames repeat; leave out " + String.join(" and ", asked));
  }

  /**
   * What to tell someone whose frames were made on CUDA with {@code used}: replay forces the deterministic choices,
   * so frames made with others will not replay bit for bit. Empty when they were deterministic already.
   */
  static Optional<String> replayNote(CudaOptions used) {
    if (used.isDeterministic()) {
      return Optional.empty();
    }
    return Optional.of("made with cuDNN search " + used.convAlgoSearch() + " and TF32 " + (used.tf32() ? "on" : "off")
        + ", while replay uses DEFAULT and TF32 off, so a replay can differ; use --cudnn-search default --no-tf32"
        + " for frames that replay bit for bit");
  }

  /** A device index: a whole number, 0 or more. */
  static final class DeviceIndex implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int index;
      try {
        index = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a device index; give a whole number such as 0"
            + " (nvidia-smi lists the devices)");
      }
      if (index < 0) {
        throw new TypeConversionException("the CUDA device index must be 0 or more, got " + index);
      }
      return index;
    }
  }

  /** A memory size: bytes, or a number with K, M, G or T. */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return CudaOptions.parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
