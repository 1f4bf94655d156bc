package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the execution provider once and opens sessions with it. {@link ExecutionProvider#AUTO} tries CUDA and
 * falls back to the CPU with a logged reason that callers can show ({@link #fallbackReason()}); CUDA asked for
 * explicitly fails with what is missing and what to do.
 *
 * <p>The session options live as long as this factory: close it only after every session it opened. The
 * {@link OrtEnvironment} is the process-wide singleton and is never closed. Not thread-safe.
 */
public final class SessionFactory implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(SessionFactory.class.getName());

  private final OrtEnvironment environment;
  private final ExecutionProvider provider;
  private final String fallbackReason;
  private final SessionSettings settings;
  private final SessionOptions options;
  private boolean closed;

  private SessionFactory(ExecutionProvider provider, String fallbackReason, SessionSettings settings,
      SessionOptions options) {
    this.environment = OrtEnvironment.getEnvironment();
    this.provider = provider;
    this.fallbackReason = fallbackReason;
    this.settings = settings;
    this.options = options;
  }

  /** Resolves {@code requested} to CUDA or CPU and builds the session options for it. */
  public static SessionFactory create(ExecutionProvider requested, SessionSettings settings)
      throws BundleException {
    boolean buildHasCuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    String cudaProblem = requested == ExecutionProvider.CPU ? null : cudaProblem(buildHasCuda, settings.cuda());
    if (requested == ExecutionProvider.CUDA && cudaProblem != null) {
      throw new BundleException("CUDA was requested (--device cuda) but " + cudaProblem + ". " + (buildHasCuda
          ? "Check --cuda-device and the other CUDA options (./worldexplorer doctor shows them), the NVIDIA driver"
              + " and the CUDA 12 and cuDNN 9 libraries, or run with --device cpu (or auto)."
          : "Run with --device cpu (or auto), or use the -Pcuda build of worldexplorer on a machine with an NVIDIA"
              + " GPU, its driver and the CUDA 12 libraries (libcudart.so.12, libcublas.so.12, libcublasLt.so.12,"
              + " libcurand.so.10)."));
    }
    ExecutionProvider resolved = requested == ExecutionProvider.CPU || cudaProblem != null
        ? ExecutionProvider.CPU : ExecutionProvider.CUDA;
    String reason = requested == ExecutionProvider.AUTO && cudaProblem != null
        ? "CUDA is not available: " + cudaProblem : null;
    if (reason != null) {
      LOG.log(Level.INFO, "Running the model on the CPU. {0}", reason);
    } else if (resolved == ExecutionProvider.CUDA) {
      LOG.log(Level.INFO, "Running the model on CUDA: {0}", settings.cuda().providerOptionsLine());
    } else {
      LOG.log(Level.INFO, "Running the model on the CPU.");
    }
    try {
      return new SessionFactory(resolved, reason, settings, options(resolved, settings));
    } catch (OrtException e) {
      throw new BundleException("Cannot configure ONNX Runtime for " + resolved + ": " + e.getMessage(), e);
    }
  }

  /** CUDA or CPU: where the sessions run. */
  public ExecutionProvider provider() {
    return provider;
  }

  /** Why {@link ExecutionProvider#AUTO} ended on the CPU; empty when nothing fell back. */
  public Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /**
   * The settings the sessions were configured with. Their CUDA options are handed to ONNX Runtime when
   * {@link #provider()} is CUDA, and are what would be used otherwise.
   */
  public SessionSettings settings() {
    return settings;
  }

  /** Opens one graph file. */
  public OrtSession open(Path graph) throws OrtException {
    if (closed) {
      throw new IllegalStateException("this SessionFactory is closed; create a new one to open sessions");
    }
    return environment.createSession(graph.toString(), options);
  }

  /** Closes the session options; every session opened here must be closed first. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      options.close();
    }
  }

  /**
   * Why CUDA cannot be used with these options, or null when it can. Probed on throwaway session options, since
   * appending the provider is what fails (no device, a bad option value, missing libraries).
   */
  private static String cudaProblem(boolean buildHasCuda, CudaOptions cuda) {
    if (!buildHasCuda) {
      return "this ONNX Runtime build has no CUDA execution provider (it is the CPU build)";
    }
    try (SessionOptions probe = new SessionOptions()) {
      addCuda(probe, cuda);
      return null;
    } catch (OrtException e) {
      return "the CUDA execution provider did not start with " + cuda.providerOptionsLine() + " ("
          + e.getMessage() + ")";
    }
  }

  /** Appends the CUDA provider with exactly {@link CudaOptions#providerOptions()}. */
  private static void addCuda(SessionOptions options, CudaOptions cuda) throws OrtException {
    try (OrtCUDAProviderOptions provider = new OrtCUDAProviderOptions(cuda.deviceId())) {
      for (Map.Entry<String, String> option : cuda.providerOptions().entrySet()) {
        provider.add(option.getKey(), option.getValue());
      }
      options.addCUDA(provider);
    }
  }

  private static SessionOptions options(ExecutionProvider provider, SessionSettings settings) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
      if (settings.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(settings.intraOpThreads());
      }
      options.setDeterministicCompute(settings.deterministic());
      if (provider == ExecutionProvider.CUDA) {
        addCuda(options, settings.cuda());
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }
}
