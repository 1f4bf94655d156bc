package org.worldexplorer.runtime.bundle;

import java.util.Locale;

/** Where ONNX Runtime runs the graphs: the {@code --device} choice. */
public enum ExecutionProvider {
  /** CUDA when it starts, else the CPU, with the reason logged. */
  AUTO,
  /** CUDA or an error that says what is missing. */
  CUDA,
  /** The CPU. */
  CPU;

  /** Parses a {@code --device} value ({@code auto}, {@code cuda}, {@code cpu}, any case). */
  public static ExecutionProvider parse(String device) {
    for (ExecutionProvider provider : values()) {
      if (provider.name().equalsIgnoreCase(device)) {
        return provider;
      }
    }
    throw new IllegalArgumentException("device must be auto, cuda or cpu, got \"" + device + "\"");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
