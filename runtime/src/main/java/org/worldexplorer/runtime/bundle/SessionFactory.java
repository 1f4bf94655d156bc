package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
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
  private final SessionOptions options;
  private boolean closed;

  private SessionFactory(ExecutionProvider provider, String fallbackReason, SessionOptions options) {
    this.environment = OrtEnvironment.getEnvironment();
    this.provider = provider;
    this.fallbackReason = fallbackReason;
    this.options = options;
  }

  /** Resolves {@code requested} to CUDA or CPU and builds the session options for it. */
  public static SessionFactory create(ExecutionProvider requested, SessionSettings settings)
      throws BundleException {
    String cudaProblem = requested == ExecutionProvider.CPU ? null : cudaProblem(settings.cudaDevice());
    if (requested == ExecutionProvider.CUDA && cudaProblem != null) {
      throw new BundleException("CUDA was requested (--device cuda) but " + cudaProblem + ". Run with --device cpu"
          + " (or auto), or use the -Pcuda build of worldexplorer on a machine with an NVIDIA GPU, its driver and"
          + " the CUDA 12 libraries (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcurand.so.10).");
    }
    ExecutionProvider resolved = requested == ExecutionProvider.CPU || cudaProblem != null
        ? ExecutionProvider.CPU : ExecutionProvider.CUDA;
    String reason = requested == ExecutionProvider.AUTO && cudaProblem != null
        ? "CUDA is not available: " + cudaProblem : null;
    if (reason != null) {
      LOG.log(Level.INFO, "Running the model on the CPU. {0}", reason);
    } else {
      LOG.log(Level.INFO, "Running the model on {0}.", resolved);
    }
    try {
      return new SessionFactory(resolved, reason, options(resolved, settings));
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

  /** Why CUDA cannot be used, or null when it can. Probed on throwaway options: addCUDA itself throws. */
  private static String cudaProblem(int device) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return "this ONNX Runtime build has no CUDA execution provider (it is the CPU build)";
    }
    try (SessionOptions probe = new SessionOptions()) {
      probe.addCUDA(device);
      return null;
    } catch (OrtException e) {
      return "the CUDA execution provider did not start on device " + device + " (" + e.getMessage() + ")";
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
        options.addCUDA(settings.cudaDevice());
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }
}
