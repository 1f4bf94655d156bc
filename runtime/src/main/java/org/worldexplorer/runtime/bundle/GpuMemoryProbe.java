package org.worldexplorer.runtime.bundle;

/**
 * Reads how much memory a GPU has and how much of it is free, for the fit check before a bundle loads on CUDA.
 * Injectable so tests can give any reading; {@link #nvidiaSmi()} asks the NVIDIA driver's tool.
 */
@FunctionalInterface
public interface GpuMemoryProbe {

  /**
   * What a probe found: the GPU's memory, or why it could not tell.
   *
   * @param totalBytes the GPU's memory, or -1 when unknown
   * @param freeBytes memory free now, or -1 when unknown
   * @param unknownReason why the reading is unknown, or null when it is known
   */
  record Reading(long totalBytes, long freeBytes, String unknownReason) {

    public Reading {
      if (unknownReason == null && (totalBytes < 0 || freeBytes < 0 || freeBytes > totalBytes)) {
        throw new IllegalArgumentException("a GPU memory reading needs 0 <= free <= total, got free " + freeBytes
            + " of " + totalBytes);
      }
    }

    /** A known reading. */
    public static Reading of(long totalBytes, long freeBytes) {
      return new Reading(totalBytes, freeBytes, null);
    }

    /** No reading, and why. */
    public static Reading unknown(String reason) {
      Require.text(reason, "reason");
      return new Reading(-1, -1, reason);
    }

    public boolean known() {
      return unknownReason == null;
    }
  }

  /** Reads the memory of the GPU with this index (the CUDA device the sessions would use). */
  Reading read(int device);

  /** The probe that runs {@code nvidia-smi}. */
  static GpuMemoryProbe nvidiaSmi() {
    return new NvidiaSmiProbe();
  }
}
