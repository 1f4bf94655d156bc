package org.worldexplorer.runtime.bundle;

/**
 * How ONNX Runtime sessions are configured.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime pick (one per core)
 * @param deterministic ask for deterministic kernels, so a replay gives the same frames
 * @param cudaDevice the CUDA device index when CUDA is used
 */
public record SessionSettings(int intraOpThreads, boolean deterministic, int cudaDevice) {

  public SessionSettings {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be 0 (ONNX Runtime picks) or more, got "
          + intraOpThreads);
    }
    if (cudaDevice < 0) {
      throw new IllegalArgumentException("cudaDevice must be 0 or more, got " + cudaDevice);
    }
  }

  /** ONNX Runtime's thread count, deterministic kernels, CUDA device 0. */
  public static SessionSettings defaults() {
    return new SessionSettings(0, true, 0);
  }

  /** The same settings with another intra-op thread count. */
  public SessionSettings withIntraOpThreads(int threads) {
    return new SessionSettings(threads, deterministic, cudaDevice);
  }
}
