package org.worldexplorer.runtime.bundle;

/**
 * How ONNX Runtime sessions are configured.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime pick (one per core)
 * @param deterministic ask for deterministic kernels, so a replay gives the same frames
 * @param cuda the CUDA execution provider's options, used when the sessions run on CUDA
 */
public record SessionSettings(int intraOpThreads, boolean deterministic, CudaOptions cuda) {

  public SessionSettings {
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException("intraOpThreads must be 0 (ONNX Runtime picks) or more, got "
          + intraOpThreads);
    }
    if (cuda == null) {
      throw new IllegalArgumentException("cuda must not be null; use CudaOptions.defaults()");
    }
  }

  /** ONNX Runtime's thread count, deterministic kernels, ONNX Runtime's CUDA defaults. */
  public static SessionSettings defaults() {
    return new SessionSettings(0, true, CudaOptions.defaults());
  }

  /** The same settings with another intra-op thread count. */
  public SessionSettings withIntraOpThreads(int threads) {
    return new SessionSettings(threads, deterministic, cuda);
  }

  /** The same settings with other CUDA options. */
  public SessionSettings withCuda(CudaOptions options) {
    return new SessionSettings(intraOpThreads, deterministic, options);
  }

  /**
   * What a replay pins so that the frames repeat bit for bit: deterministic kernels and the
   * {@linkplain CudaOptions#deterministic() deterministic CUDA choices}; the thread count and device stay.
   */
  public SessionSettings reproducible() {
    return new SessionSettings(intraOpThreads, true, cuda.deterministic());
  }
}
