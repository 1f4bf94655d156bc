package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded model bundle: its manifest and one open ONNX Runtime session per graph. {@link #open} runs the load
 * checks of docs/bundle-format.md in order and stops at the first failure.
 *
 * <p>Immutable once open. Close it after the last run: it closes the sessions, then their options. Any use after
 * {@link #close()} throws {@link IllegalStateException}. Runs may come from one thread at a time per graph
 * (the generation thread); {@link #close()} must not overlap a run.
 */
public final class ModelBundle implements AutoCloseable {

  private final Path directory;
  private final Manifest manifest;
  private final SessionFactory factory;
  private final Map<String, OrtSession> sessions;
  private final GpuFitCheck.Outcome memoryCheck;
  private volatile boolean closed;

  private ModelBundle(Path directory, Manifest manifest, SessionFactory factory, Map<String, OrtSession> sessions,
      GpuFitCheck.Outcome memoryCheck) {
    this.directory = directory;
    this.manifest = manifest;
    this.factory = factory;
    this.sessions = Collections.unmodifiableMap(sessions);
    this.memoryCheck = memoryCheck;
  }

  /**
   * Loads a bundle folder: manifest (check 1), files (check 2), manifest against the format (check 3), then opens
   * every graph on {@code provider} and compares it with the manifest (check 4). On CUDA, the bundle's memory
   * estimate is first compared with the GPU's free memory, read with {@code nvidia-smi}.
   */
  public static ModelBundle open(Path directory, ExecutionProvider provider, SessionSettings settings)
      throws BundleException {
    return open(directory, provider, settings, GpuMemoryProbe.nvidiaSmi());
  }

  /**
   * As {@link #open(Path, ExecutionProvider, SessionSettings)}, reading the GPU's memory with {@code probe}. CUDA
   * asked for is checked before CUDA starts; {@link ExecutionProvider#AUTO} is checked once it resolved to CUDA,
   * and not at all when it fell back to the CPU.
   */
  public static ModelBundle open(Path directory, ExecutionProvider provider, SessionSettings settings,
      GpuMemoryProbe probe) throws BundleException {
    Manifest manifest = BundleFolder.readManifest(directory);
    requireNone(BundleFolder.missingFiles(directory, manifest));
    BundleContract contract = BundleContract.of(manifest);
    for (String key : manifest.graphKeys()) {
      requireNone(ContractCheck.problems(contract.graph(key), manifest.graph(key)));
    }
    GpuFitCheck.Outcome memoryCheck = null;
    if (provider == ExecutionProvider.CUDA) {
      memoryCheck = requireFit(directory, manifest, probe, settings.cuda().deviceId());
    }
    SessionFactory factory = SessionFactory.create(provider, settings);
    if (memoryCheck == null && factory.provider() == ExecutionProvider.CUDA) {
      try {
        memoryCheck = requireFit(directory, manifest, probe, settings.cuda().deviceId());
      } catch (BundleException e) {
        factory.close();
        throw e;
      }
    }
    Map<String, OrtSession> sessions = new LinkedHashMap<>();
    try {
      for (String key : manifest.graphKeys()) {
        GraphSpec graph = manifest.graph(key);
        OrtSession session = BundleFolder.open(factory, directory, graph);
        sessions.put(key, session);
        requireNone(SignatureCheck.problems(manifest, graph, session.getInputInfo(),
            session.getOutputInfo()));
      }
      return new ModelBundle(directory, manifest, factory, sessions, memoryCheck);
    } catch (OrtException e) {
      closeAll(sessions, factory);
      throw new BundleException("ONNX Runtime could not describe a graph of " + directory + ": " + e.getMessage(), e);
    } catch (BundleException | RuntimeException e) {
      closeAll(sessions, factory);
      throw e;
    }
  }

  private static GpuFitCheck.Outcome requireFit(Path directory, Manifest manifest, GpuMemoryProbe probe, int device)
      throws BundleException {
    GpuFitCheck.Outcome outcome = GpuFitCheck.check(directory, manifest, probe, device);
    if (!outcome.fits()) {
      throw new BundleException(outcome.message());
    }
    // A skipped check is shown (the app hides INFO): a bundle too large for the GPU would fail later, less clearly.
    System.getLogger(ModelBundle.class.getName()).log(outcome.status() == GpuFitCheck.Status.SKIPPED
        ? System.Logger.Level.WARNING : System.Logger.Level.INFO, outcome.message());
    return outcome;
  }

  /** Validates a bundle folder for {@code doctor}: every check, every finding, and a memory estimate. */
  public static ValidationReport validate(Path directory) {
    return BundleValidator.validate(directory);
  }

  /** The bundle folder. */
  public Path directory() {
    return directory;
  }

  /** The validated manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /** Where the graphs run: CUDA or CPU. */
  public ExecutionProvider provider() {
    return factory.provider();
  }

  /** How the GPU memory check before loading ended (fits or skipped, and why); empty on the CPU. */
  public Optional<GpuFitCheck.Outcome> memoryCheck() {
    return Optional.ofNullable(memoryCheck);
  }

  /** Why {@link ExecutionProvider#AUTO} fell back to the CPU; empty when it did not. */
  public Optional<String> fallbackReason() {
    return factory.fallbackReason();
  }

  /** The open session of one graph, by key (e.g. {@code dit_chunk}). */
  public OrtSession session(String graphKey) {
    requireOpen();
    OrtSession session = sessions.get(graphKey);
    if (session == null) {
      throw new IllegalArgumentException("bundle '" + manifest.name() + "' has no graph '" + graphKey
          + "'; its graphs are " + sessions.keySet());
    }
    return session;
  }

  /**
   * Runs one graph and checks every float output for NaN and infinity. The caller closes the result. Reading the
   * outputs copies them once; on the hot path prefer {@link #run(String, Map, Map)} with pinned outputs.
   */
  public OrtSession.Result run(String graphKey, Map<String, ? extends OnnxTensorLike> inputs)
      throws GraphRunException {
    OrtSession session = session(graphKey);
    String file = manifest.graph(graphKey).file();
    OrtSession.Result result;
    try {
      result = session.run(inputs);
    } catch (OrtException e) {
      throw new GraphRunException(file, e.getMessage(), e);
    }
    try {
      for (Map.Entry<String, OnnxValue> output : result) {
        if (output.getValue() instanceof OnnxTensor tensor && isFloat(tensor.getInfo().type)) {
          FloatBuffer values = tensor.getFloatBuffer(); // half precision comes back converted to float32
          FiniteCheck.requireFinite(file, output.getKey(), values, 0, values.remaining());
        }
      }
      return result;
    } catch (GraphRunException | RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /**
   * Runs one graph into caller-owned output tensors (made from direct, native-order buffers) and checks those
   * in place for NaN and infinity, without copying; float16 and bfloat16 outputs are checked in their own
   * precision.
   */
  public void run(String graphKey, Map<String, ? extends OnnxTensorLike> inputs,
      Map<String, OnnxTensor> pinnedOutputs) throws GraphRunException {
    OrtSession session = session(graphKey);
    String file = manifest.graph(graphKey).file();
    try (OrtSession.Result ignored = session.run(inputs, pinnedOutputs)) {
      // Pinned outputs belong to the caller; closing the result leaves them open.
    } catch (OrtException e) {
      throw new GraphRunException(file, e.getMessage(), e);
    }
    requireFinitePinned(file, pinnedOutputs);
  }

  /**
   * Runs one graph into caller-owned {@code pinnedOutputs} (checked as in {@link #run(String, Map, Map)}) and into
   * {@code allocatedOutputs}, which ONNX Runtime allocates and the returned result owns. The caller closes the
   * result; that leaves the pinned outputs open. Made for outputs too large for a Java buffer (past 2 GB), which
   * stay native and may be fed to the next run as they are; they are not checked here, as reading them would copy
   * them: a non-finite value in them reaches the pinned outputs of a later run and is caught there.
   */
  public OrtSession.Result runWithNativeOutputs(String graphKey, Map<String, ? extends OnnxTensorLike> inputs,
      Set<String> allocatedOutputs, Map<String, OnnxTensor> pinnedOutputs) throws GraphRunException {
    OrtSession session = session(graphKey);
    String file = manifest.graph(graphKey).file();
    OrtSession.Result result;
    try {
      result = session.run(inputs, allocatedOutputs, pinnedOutputs);
    } catch (OrtException e) {
      throw new GraphRunException(file, e.getMessage(), e);
    }
    try {
      requireFinitePinned(file, pinnedOutputs);
      return result;
    } catch (GraphRunException | RuntimeException e) {
      result.close();
      throw e;
    }
  }

  private static void requireFinitePinned(String file, Map<String, OnnxTensor> pinnedOutputs)
      throws GraphRunException {
    for (Map.Entry<String, OnnxTensor> output : pinnedOutputs.entrySet()) {
      OnnxTensor tensor = output.getValue();
      TensorInfo info = tensor.getInfo();
      Optional<Buffer> buffer = tensor.getBufferRef();
      if (info.type == OnnxJavaType.FLOAT && buffer.isPresent() && buffer.get() instanceof FloatBuffer values) {
        FiniteCheck.requireFinite(file, output.getKey(), values, values.position(), (int) info.getNumElements());
      } else if (isHalf(info.type) && buffer.isPresent() && buffer.get() instanceof ShortBuffer values) {
        DType dtype = info.type == OnnxJavaType.FLOAT16 ? DType.FLOAT16 : DType.BFLOAT16;
        FiniteCheck.requireFinite(file, output.getKey(), values, dtype, values.position(),
            (int) info.getNumElements());
      }
    }
  }

  /** Closes every session, then the session options. Safe to call twice. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeAll(sessions, factory);
    }
  }

  private static boolean isFloat(OnnxJavaType type) {
    return type == OnnxJavaType.FLOAT || isHalf(type);
  }

  private static boolean isHalf(OnnxJavaType type) {
    return type == OnnxJavaType.FLOAT16 || type == OnnxJavaType.BFLOAT16;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("model bundle '" + manifest.name() + "' is closed; open it again to run"
          + " its graphs");
    }
  }

  private static void requireNone(List<String> problems) throws BundleException {
    if (!problems.isEmpty()) {
      throw new BundleException(problems.get(0));
    }
  }

  private static void closeAll(Map<String, OrtSession> sessions, SessionFactory factory) {
    for (OrtSession session : sessions.values()) {
      try {
        session.close();
      } catch (OrtException e) {
        System.getLogger(ModelBundle.class.getName()).log(System.Logger.Level.WARNING,
            "Closing an ONNX Runtime session failed: " + e.getMessage());
      }
    }
    factory.close();
  }
}
