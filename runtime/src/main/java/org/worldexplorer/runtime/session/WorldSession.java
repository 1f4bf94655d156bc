package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joml.Matrix4dc;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.DType;
import org.worldexplorer.runtime.bundle.GraphSpec;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.LatentSpec;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.MemorySpec;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SamplerSpec;
import org.worldexplorer.runtime.camera.CameraTrack;
import org.worldexplorer.runtime.latent.LatentShape;
import org.worldexplorer.runtime.latent.LatentStore;
import org.worldexplorer.runtime.memory.IndexedMemorySelector;
import org.worldexplorer.runtime.memory.MemoryConfig;
import org.worldexplorer.runtime.memory.MemorySelector;
import org.worldexplorer.runtime.rope.RopeFrame;
import org.worldexplorer.runtime.sampling.FlowMatchSchedule;
import org.worldexplorer.runtime.sampling.SeededNoise;

/**
 * One walk through a generated world: the mutable state (latent store, camera track, memory, prompt, noise) over
 * an immutable {@link ModelBundle} that it does not own. Each {@link #generateChunk} call runs memory selection,
 * the DiT graph and the decoder for one chunk. Input tensors are made once over direct buffers (one set per
 * context size), so a chunk allocates no tensors. Float tensors the manifest declares float16 or bfloat16 are
 * converted from and to the host's float32 buffers at the boundary ({@link BoundaryTensor}). The decoder cache
 * lives in two host buffers, or, past what a Java buffer holds, in ONNX Runtime's memory ({@link DecoderCache}).
 * Generation thread only; close it to free its buffers and the latent spill file.
 */
public final class WorldSession implements AutoCloseable {

  private final ModelBundle bundle;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Manifest manifest;
  private final int channels;
  private final int latentHeight;
  private final int latentWidth;
  private final int chunkLatents;
  private final int videoHeight;
  private final int videoWidth;
  private final float fx;
  private final float fy;
  private final SeededNoise noise;
  private final MemorySelector selector;
  private final boolean spatialMemory;
  private final int temporalLatents;
  private final LatentStore store;
  private final CameraTrack track = new CameraTrack(4096);
  private final TextConditioning text;
  private final VisionConditioning vision;
  private final StageTimings timings = new StageTimings();
  /** Text encoding since the last chunk, reported with the next one. */
  private long pendingTextNanos;

  // dit_chunk inputs that do not depend on the context size.
  private final FloatBuffer chunkNoise;
  private final FloatBuffer chunkW2c;
  private final FloatBuffer chunkIntrinsics;
  private final LongBuffer chunkAction;
  private final LongBuffer chunkRope;
  private final FloatBuffer chunkCondMask;
  private final FloatBuffer imageLatent;
  private final FloatBuffer sigmas;
  private final FloatBuffer contextTimestep;
  private final Map<String, OnnxTensor> fixedInputs = new HashMap<>();
  private final List<OnnxTensor> longTensors = new ArrayList<>();
  private final BoundaryTensors boundaries = new BoundaryTensors(env);
  // Float dit_chunk inputs: the fixed ones, and per context size the context ones.
  private final List<BoundaryTensor> fixedFloats = new ArrayList<>();
  private final Map<Integer, List<BoundaryTensor>> contextFloatsBySize = new HashMap<>();
  private final Map<String, ShortBuffer> contextHalfStorage = new HashMap<>();
  // Context inputs, sized for the largest context; one tensor set per context size.
  private final FloatBuffer contextLatents;
  private final FloatBuffer contextW2c;
  private final FloatBuffer contextIntrinsics;
  private final LongBuffer contextAction;
  private final LongBuffer contextRope;
  private final FloatBuffer contextCondMask;
  private final Map<Integer, Map<String, OnnxTensor>> contextInputsBySize = new HashMap<>();
  private final Map<String, OnnxTensor> ditInputs = new HashMap<>();
  // Outputs. A decoder's latents input is the same object as the DiT's output tensor when their dtypes agree
  // (BoundaryTensors).
  private final FloatBuffer chunkLatentsOut;
  private final BoundaryTensor chunkLatentsTensor;
  private final BoundaryTensor firstLatentsIn;
  private final BoundaryTensor laterLatentsIn;
  private final FloatBuffer firstFrames;
  private final FloatBuffer laterFrames;
  private final BoundaryTensor firstFramesTensor;
  private final BoundaryTensor laterFramesTensor;
  private final DecoderCache decoderCache;

  private final int[] selected;
  private final boolean[] retrieved;
  private final long[] contextPositions;
  private final long[] chunkPositions;
  private final Matrix4f[] poseScratch;
  private final float[] fxScratch;
  private final float[] fyScratch;
  private final Matrix4f matrix = new Matrix4f();
  private int chunkIndex;
  private int lastContextCount;
  private boolean closed;

  /**
   * Starts a session on a start image.
   *
   * @param spatialMemory false keeps only the recent latents as context (for comparisons)
   * @param spillDirectory where history beyond RAM goes (a cache folder); null for the system temp folder
   */
  public WorldSession(ModelBundle bundle, BufferedImage startImage, long seed, String prompt, boolean spatialMemory,
      Path spillDirectory) throws BundleException, GraphRunException {
    this(bundle, startImage, seed, prompt, spatialMemory, spillDirectory, null);
  }

  /**
   * Starts a session that also keeps prompt embeddings on disk in {@code textCacheDirectory} (null: memory only),
   * so a prompt typed in an earlier run costs no encoder run.
   */
  public WorldSession(ModelBundle bundle, BufferedImage startImage, long seed, String prompt, boolean spatialMemory,
      Path spillDirectory, Path textCacheDirectory) throws BundleException, GraphRunException {
    this(bundle, startImage, seed, prompt, spatialMemory, spillDirectory, textCacheDirectory,
        NativeBuffers.MAX_BYTES);
  }

  /**
   * As the public constructors, choosing how the decoder cache crosses between chunks by size: it stays in ONNX
   * Runtime's memory ({@link DecoderCache.Mode#CHAINED}) when its float32 host buffers would take more than
   * {@code chainCacheAboveBytes} and the decoders agree on its dtype (tests lower this to compare the modes).
   */
  WorldSession(ModelBundle bundle, BufferedImage startImage, long seed, String prompt, boolean spatialMemory,
      Path spillDirectory, Path textCacheDirectory, long chainCacheAboveBytes)
      throws BundleException, GraphRunException {
    this.bundle = bundle;
    this.manifest = bundle.manifest();
    DecoderCache.Mode cacheMode = DecoderCache.choose(manifest, chainCacheAboveBytes);
    LatentSpec latent = manifest.latent();
    channels = latent.channels();
    latentHeight = latent.height();
    latentWidth = latent.width();
    chunkLatents = latent.latentsPerChunk();
    videoHeight = manifest.video().height();
    videoWidth = manifest.video().width();
    fx = (float) manifest.camera().fx();
    fy = (float) manifest.camera().fy();
    noise = new SeededNoise(seed);
    this.spatialMemory = spatialMemory;
    MemorySpec memory = manifest.memory();
    temporalLatents = memory.temporalLatents();
    selector = new IndexedMemorySelector(memoryConfig(memory, chunkLatents));
    LatentShape shape = new LatentShape(channels, latentHeight, latentWidth);
    int ramLatents = Math.max(2 * memory.contextLatents() + 2 * chunkLatents, 64);
    store = spillDirectory == null ? new LatentStore(shape, ramLatents)
        : new LatentStore(shape, ramLatents, spillDirectory, Math.max(1, (256 << 20) / shape.bytes()));
    int latentFloats = shape.floats();
    int maxContext = memory.contextLatents();
    selected = new int[maxContext + chunkLatents];
    retrieved = new boolean[maxContext + chunkLatents];
    contextPositions = new long[maxContext + chunkLatents];
    chunkPositions = new long[chunkLatents];
    poseScratch = new Matrix4f[chunkLatents];
    for (int i = 0; i < chunkLatents; i++) {
      poseScratch[i] = new Matrix4f();
    }
    fxScratch = new float[chunkLatents];
    fyScratch = new float[chunkLatents];

    chunkNoise = NativeBuffers.floats((long) latentFloats * chunkLatents);
    chunkW2c = NativeBuffers.floats(16L * chunkLatents);
    chunkIntrinsics = NativeBuffers.floats(9L * chunkLatents);
    chunkAction = NativeBuffers.longs(chunkLatents);
    chunkRope = NativeBuffers.longs(chunkLatents);
    chunkCondMask = NativeBuffers.floats(chunkLatents);
    imageLatent = NativeBuffers.floats(latentFloats);
    SamplerSpec sampler = manifest.sampler();
    FlowMatchSchedule schedule = schedule(sampler);
    sigmas = NativeBuffers.floats(sampler.steps() + 1L);
    schedule.putSigmas(sigmas);
    sigmas.rewind();
    contextTimestep = NativeBuffers.floats(1);
    contextTimestep.put(0, (float) sampler.contextTimestep());
    contextLatents = NativeBuffers.floats((long) latentFloats * maxContext);
    contextW2c = NativeBuffers.floats(16L * maxContext);
    contextIntrinsics = NativeBuffers.floats(9L * maxContext);
    contextAction = NativeBuffers.longs(maxContext);
    contextRope = NativeBuffers.longs(maxContext);
    contextCondMask = NativeBuffers.floats(maxContext);
    chunkLatentsOut = NativeBuffers.floats((long) latentFloats * chunkLatents);
    int firstCount = 1 + 4 * (chunkLatents - 1);
    int laterCount = 4 * chunkLatents;
    firstFrames = NativeBuffers.floats(3L * firstCount * videoHeight * videoWidth);
    laterFrames = NativeBuffers.floats(3L * laterCount * videoHeight * videoWidth);
    TextConditioning textConditioning = null;
    VisionConditioning visionConditioning = null;
    DecoderCache cache = null;
    try {
      long[] latentShape = {1, channels, chunkLatents, latentHeight, latentWidth};
      fixedFloat("chunk_noise", chunkNoise, latentShape);
      fixedFloat("chunk_w2c", chunkW2c, new long[] {chunkLatents, 4, 4});
      fixedFloat("chunk_intrinsics", chunkIntrinsics, new long[] {chunkLatents, 3, 3});
      fixedLong("chunk_action", chunkAction, new long[] {chunkLatents});
      fixedLong("chunk_rope_t", chunkRope, new long[] {chunkLatents});
      fixedFloat("chunk_cond_mask", chunkCondMask, new long[] {chunkLatents});
      fixedFloat("image_latent", imageLatent, new long[] {1, channels, latentHeight, latentWidth});
      fixedFloat("sigmas", sigmas, new long[] {sampler.steps() + 1});
      fixedFloat("context_timestep", contextTimestep, new long[] {1});
      chunkLatentsTensor = boundaries.over(chunkLatentsOut, dtype(DIT, false, "chunk_latents"), latentShape);
      firstLatentsIn = boundaries.over(chunkLatentsOut, dtype(FIRST, true, "latents"), latentShape);
      laterLatentsIn = boundaries.over(chunkLatentsOut, dtype(LATER, true, "latents"), latentShape);
      firstFramesTensor = boundaries.over(firstFrames, dtype(FIRST, false, "frames"),
          new long[] {1, 3, firstCount, videoHeight, videoWidth});
      laterFramesTensor = boundaries.over(laterFrames, dtype(LATER, false, "frames"),
          new long[] {1, 3, laterCount, videoHeight, videoWidth});
      cache = cacheMode == DecoderCache.Mode.CHAINED ? new ChainedDecoderCache(bundle)
          : new PinnedDecoderCache(bundle, env);
      textConditioning = new TextConditioning(bundle, env, textCacheDirectory);
      if (manifest.vision() != null) {
        visionConditioning = new VisionConditioning(manifest, env);
      }
    } catch (OrtException e) {
      if (textConditioning != null) {
        textConditioning.close();
      }
      if (cache != null) {
        cache.close();
      }
      close();
      throw new BundleException("cannot create the input tensors of bundle '" + manifest.name() + "': "
          + e.getMessage(), e);
    }
    this.text = textConditioning;
    this.vision = visionConditioning;
    this.decoderCache = cache;
    try {
      text.start(prompt, bundle, env);
      encodeStartImage(startImage);
    } catch (BundleException | GraphRunException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static final String DIT = "dit_chunk";
  private static final String FIRST = DecoderCache.FIRST;
  private static final String LATER = DecoderCache.LATER;

  /** The dtype the manifest declares for an input or output of a graph (checked against the graph at load). */
  private DType dtype(String graph, boolean input, String tensor) {
    GraphSpec spec = manifest.graph(graph);
    return (input ? spec.input(tensor) : spec.output(tensor)).orElseThrow().dtype();
  }

  private void fixedFloat(String name, FloatBuffer host, long[] shape) throws OrtException {
    BoundaryTensor tensor = boundaries.over(host, dtype(DIT, true, name), shape);
    fixedFloats.add(tensor);
    fixedInputs.put(name, tensor.tensor());
  }

  private void fixedLong(String name, LongBuffer host, long[] shape) throws OrtException {
    OnnxTensor tensor = OnnxTensor.createTensor(env, host, shape);
    longTensors.add(tensor);
    fixedInputs.put(name, tensor);
  }

  private static MemoryConfig memoryConfig(MemorySpec memory, int chunkLatents) {
    int[] forced = memory.alwaysIncluded().stream().mapToInt(Integer::intValue).toArray();
    List<Double> fov = memory.fovDegrees();
    int stride = memory.candidateStride();
    // Candidates start after the chunk holding the forced latents (8B: chunk 0 is forced, candidates from 4);
    // with nothing forced, chunk 0 competes like any other (5B).
    int firstCandidate = forced.length == 0 ? 0 : (forced[forced.length - 1] / stride + 1) * stride;
    return new MemoryConfig(memory.contextLatents(), memory.temporalLatents(), chunkLatents, forced,
        firstCandidate, stride, memory.contextLatents() + 1, fov.get(0), fov.get(1), memory.radius());
  }

  private static FlowMatchSchedule schedule(SamplerSpec sampler) {
    if (sampler.sigmas() == null) {
      return FlowMatchSchedule.shifted(sampler.steps(), sampler.shift());
    }
    float[] timesteps = new float[sampler.steps()];
    for (int i = 0; i < timesteps.length; i++) {
      timesteps[i] = (float) (sampler.sigmas().get(i) * 1000.0);
    }
    return FlowMatchSchedule.fromTimesteps(timesteps);
  }

  private void encodeStartImage(BufferedImage startImage) throws GraphRunException {
    FloatBuffer pixels = NativeBuffers.floats(3L * videoHeight * videoWidth);
    StartImage.prepare(startImage, videoWidth, videoHeight, pixels);
    String encoder = "vae_encoder";
    try (BoundaryTensor image = BoundaryTensor.create(env, dtype(encoder, true, "image"), pixels,
            new long[] {1, 3, videoHeight, videoWidth});
        BoundaryTensor out = BoundaryTensor.create(env, dtype(encoder, false, "image_latent"), imageLatent,
            new long[] {1, channels, latentHeight, latentWidth})) {
      image.toGraph();
      bundle.run(encoder, Map.of("image", image.tensor()), Map.of("image_latent", out.tensor()));
      out.fromGraph();
    } catch (OrtException e) {
      throw new GraphRunException("vae_encoder.onnx", e.getMessage(), e);
    }
    if (vision != null) {
      vision.encode(pixels, bundle);
    }
  }

  /** Index of the next chunk. */
  public int chunkIndex() {
    return chunkIndex;
  }

  public int chunkLatents() {
    return chunkLatents;
  }

  public int videoWidth() {
    return videoWidth;
  }

  public int videoHeight() {
    return videoHeight;
  }

  /** Camera path so far (one pose per latent, including the chunk being generated). */
  public CameraTrack track() {
    return track;
  }

  public String prompt() {
    return text.prompt();
  }

  /** The text inputs the DiT reads from the next chunk on (package-private, for parity checks). */
  TextConditioning textConditioning() {
    ensureOpen();
    return text;
  }

  /** How the decoder cache crosses between chunks, and what it holds (package-private, for checks). */
  DecoderCache decoderCache() {
    return decoderCache;
  }

  /** The vision tokens the DiT reads (package-private, for checks); null when the bundle has no image encoder. */
  VisionConditioning visionConditioning() {
    ensureOpen();
    return vision;
  }

  /**
   * The prompts the bundle ships precomputed inputs for; when a text stream has no encoder, only these can be
   * used. Empty when the bundle has no prompt cache.
   */
  public List<String> cachedPrompts() {
    return text.cachedPrompts();
  }

  /** A note for the person about the last prompt (cut at the limit, not cached), or empty. */
  public String promptNotice() {
    return text.notice();
  }

  /**
   * Uses {@code prompt} from the next chunk on; cached prompts cost no encoder run. When a text stream has no
   * encoder, only {@link #cachedPrompts()} are taken: another prompt leaves the current one in place and
   * {@link #promptNotice()} names the cached ones.
   *
   * @return true when a text encoder ran (the prompt was new), false on a cache hit, no change or a refusal
   */
  public boolean setPrompt(String prompt) throws GraphRunException {
    long start = System.nanoTime();
    ensureOpen();
    boolean encoded = text.setPrompt(prompt, bundle, env);
    if (encoded) {
      pendingTextNanos += System.nanoTime() - start;
    }
    return encoded;
  }

  /**
   * Generates the next chunk from one action per latent: the camera moves by each action's deltas. In the first
   * chunk the first action is ignored: latent 0 is the start image's camera.
   */
  public ChunkResult generateChunk(DualAction[] actions) throws GraphRunException {
    ensureOpen();
    if (actions.length < chunkLatents) {
      throw new IllegalArgumentException("a chunk needs " + chunkLatents + " actions, got " + actions.length);
    }
    return generate(null, actions);
  }

  /**
   * Generates the next chunk at given camera poses (a scripted path, such as a pose file): one camera-to-world
   * pose per latent, relative to the start image's camera, with the action whose label conditions that latent
   * (its deltas are not used). In the first chunk the first pose and action are ignored: latent 0 is the start
   * image's camera, the identity.
   */
  public ChunkResult generateChunkAt(Matrix4dc[] cameraToWorld, DualAction[] actions) throws GraphRunException {
    ensureOpen();
    if (cameraToWorld.length < chunkLatents || actions.length < chunkLatents) {
      throw new IllegalArgumentException("a chunk needs " + chunkLatents + " poses and actions, got "
          + cameraToWorld.length + " poses and " + actions.length + " actions");
    }
    return generate(cameraToWorld, actions);
  }

  /** Moves the camera (by the actions' deltas, or to the given poses), records the poses, then generates. */
  private ChunkResult generate(Matrix4dc[] cameraToWorld, DualAction[] actions) throws GraphRunException {
    long start = System.nanoTime();
    timings.clear();
    timings.textNanos = pendingTextNanos;
    pendingTextNanos = 0;
    int first = chunkIndex * chunkLatents;
    for (int l = 0; l < chunkLatents; l++) {
      if (first + l > 0) {
        if (cameraToWorld == null) {
          track.append(actions[l]);
        } else {
          track.appendPose(cameraToWorld[l]);
        }
      }
      track.worldToCamera(first + l, poseScratch[l]);
      fxScratch[l] = fx;
      fyScratch[l] = fy;
    }
    DualAction[] used = actions;
    if (first == 0) {
      used = actions.clone();
      used[0] = DualAction.STILL;
    }
    store.appendPoses(chunkLatents, poseScratch, fxScratch, fyScratch, used);
    return generate(start, first);
  }

  private ChunkResult generate(long start, int first) throws GraphRunException {
    long t = System.nanoTime();
    int count = 0;
    if (first > 0) {
      count = spatialMemory
          ? selector.select(store, first, chunkLatents, selected, retrieved)
          : selectRecentOnly(first);
    }
    timings.selectNanos = System.nanoTime() - t;

    stageContext(count);
    stageChunk(first);
    lastContextCount = count;
    Map<String, OnnxTensor> inputs = ditInputs;
    inputs.clear();
    inputs.putAll(fixedInputs);
    inputs.putAll(contextInputs(count));
    text.addInputs(inputs);
    if (vision != null) {
      vision.addInputs(inputs);
    }
    fixedFloats.forEach(BoundaryTensor::toGraph);
    contextFloatsBySize.get(count).forEach(BoundaryTensor::toGraph);

    t = System.nanoTime();
    bundle.run(DIT, inputs, Map.of("chunk_latents", chunkLatentsTensor.tensor()));
    timings.ditNanos = System.nanoTime() - t;
    chunkLatentsTensor.fromGraph();
    chunkLatentsOut.rewind();
    store.appendLatents(chunkLatentsOut, chunkLatents);

    t = System.nanoTime();
    FloatBuffer frames;
    int frameCount;
    if (chunkIndex == 0) {
      toGraphUnlessShared(firstLatentsIn);
      decoderCache.decodeFirst(firstLatentsIn.tensor(), firstFramesTensor.tensor());
      firstFramesTensor.fromGraph();
      frames = firstFrames;
      frameCount = 1 + 4 * (chunkLatents - 1);
    } else {
      toGraphUnlessShared(laterLatentsIn);
      decoderCache.decodeLater(laterLatentsIn.tensor(), laterFramesTensor.tensor());
      laterFramesTensor.fromGraph();
      frames = laterFrames;
      frameCount = 4 * chunkLatents;
    }
    timings.decodeNanos = System.nanoTime() - t;
    timings.totalNanos = System.nanoTime() - start;
    timings.hostNanos = timings.totalNanos - timings.selectNanos - timings.ditNanos - timings.decodeNanos;
    ChunkResult result = new ChunkResult(chunkIndex, first, chunkLatentsOut, frames.rewind(), frameCount, selected,
        retrieved, count, timings);
    chunkIndex++;
    return result;
  }

  /** A decoder's latents input: the DiT's output tensor itself when the dtypes agree, else converted from it. */
  private void toGraphUnlessShared(BoundaryTensor latentsIn) {
    if (latentsIn != chunkLatentsTensor) {
      latentsIn.toGraph();
    }
  }

  /**
   * Copies the temporal RoPE positions the last chunk's {@code dit_chunk} call received: the context's into
   * {@code contextOut[0..n)} and the chunk's into {@code chunkOut[0..L)}.
   *
   * @return n, the number of context latents of the last chunk
   */
  public int lastRopePositions(long[] contextOut, long[] chunkOut) {
    ensureOpen();
    if (contextOut.length < lastContextCount || chunkOut.length < chunkLatents) {
      throw new IllegalArgumentException("need room for " + lastContextCount + " context and " + chunkLatents
          + " chunk positions, got " + contextOut.length + " and " + chunkOut.length);
    }
    for (int i = 0; i < lastContextCount; i++) {
      contextOut[i] = contextRope.get(i);
    }
    for (int i = 0; i < chunkLatents; i++) {
      chunkOut[i] = chunkRope.get(i);
    }
    return lastContextCount;
  }

  /** Context without spatial retrieval: only the most recent latents. */
  private int selectRecentOnly(int first) {
    int count = Math.min(first, temporalLatents);
    for (int i = 0; i < count; i++) {
      selected[i] = first - count + i;
      retrieved[i] = false;
    }
    return count;
  }

  private void stageContext(int count) {
    RopeFrame.write(selected, count, chunkIndex * chunkLatents, chunkLatents, contextPositions, chunkPositions);
    for (int i = 0; i < count; i++) {
      int latent = selected[i];
      store.readIntoChunk(latent, contextLatents, i, count);
      store.worldToCamera(latent, matrix);
      putRowMajor(matrix, contextW2c, 16 * i);
      putIntrinsics(store.fx(latent), store.fy(latent), contextIntrinsics, 9 * i);
      contextAction.put(i, store.actionLabel(latent));
      contextRope.put(i, contextPositions[i]);
      contextCondMask.put(i, latent == 0 ? 1f : 0f);
    }
  }

  private void stageChunk(int first) {
    noise.fillChunk(chunkNoise, channels, chunkLatents, latentHeight, latentWidth, first);
    for (int l = 0; l < chunkLatents; l++) {
      putRowMajor(poseScratch[l], chunkW2c, 16 * l);
      putIntrinsics(fx, fy, chunkIntrinsics, 9 * l);
      chunkAction.put(l, store.actionLabel(first + l));
      chunkRope.put(l, chunkPositions[l]);
      chunkCondMask.put(l, first + l == 0 ? 1f : 0f);
    }
  }

  private Map<String, OnnxTensor> contextInputs(int count) throws GraphRunException {
    Map<String, OnnxTensor> tensors = contextInputsBySize.get(count);
    if (tensors != null) {
      return tensors;
    }
    try {
      tensors = new HashMap<>();
      List<BoundaryTensor> floats = new ArrayList<>();
      contextFloat(tensors, floats, "context_latents", contextLatents,
          new long[] {1, channels, count, latentHeight, latentWidth});
      contextFloat(tensors, floats, "context_w2c", contextW2c, new long[] {count, 4, 4});
      contextFloat(tensors, floats, "context_intrinsics", contextIntrinsics, new long[] {count, 3, 3});
      contextLong(tensors, "context_action", contextAction, count);
      contextLong(tensors, "context_rope_t", contextRope, count);
      contextFloat(tensors, floats, "context_cond_mask", contextCondMask, new long[] {count});
      contextFloatsBySize.put(count, floats);
    } catch (OrtException e) {
      throw new GraphRunException("dit_chunk.onnx", "cannot create context tensors: " + e.getMessage(), e);
    }
    contextInputsBySize.put(count, tensors);
    return tensors;
  }

  /** A context input over the first values of {@code host}; its half values (if any) share one buffer per input. */
  private void contextFloat(Map<String, OnnxTensor> tensors, List<BoundaryTensor> floats, String name,
      FloatBuffer host, long[] shape) throws OrtException {
    DType dtype = dtype(DIT, true, name);
    ShortBuffer half = contextHalfStorage.get(name);
    if (half == null && dtype.isHalf()) {
      half = BoundaryTensor.halfStorage(dtype, host.capacity());
      contextHalfStorage.put(name, half);
    }
    BoundaryTensor tensor = boundaries.over(host.duplicate(), dtype, half, shape);
    floats.add(tensor);
    tensors.put(name, tensor.tensor());
  }

  private void contextLong(Map<String, OnnxTensor> tensors, String name, LongBuffer host, int count)
      throws OrtException {
    OnnxTensor tensor = OnnxTensor.createTensor(env, host.duplicate().limit(count), new long[] {count});
    longTensors.add(tensor);
    tensors.put(name, tensor);
  }

  private static void putRowMajor(Matrix4fc m, FloatBuffer dest, int offset) {
    for (int row = 0; row < 4; row++) {
      for (int col = 0; col < 4; col++) {
        dest.put(offset + 4 * row + col, m.get(col, row));
      }
    }
  }

  private static void putIntrinsics(float fx, float fy, FloatBuffer dest, int offset) {
    dest.put(offset, fx);
    dest.put(offset + 1, 0f);
    dest.put(offset + 2, 0.5f);
    dest.put(offset + 3, 0f);
    dest.put(offset + 4, fy);
    dest.put(offset + 5, 0.5f);
    dest.put(offset + 6, 0f);
    dest.put(offset + 7, 0f);
    dest.put(offset + 8, 1f);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this world session is closed; start a new one");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    longTensors.forEach(OnnxTensor::close);
    boundaries.close();
    if (decoderCache != null) {
      decoderCache.close();
    }
    if (text != null) {
      text.close();
    }
    if (vision != null) {
      vision.close();
    }
    store.close();
  }
}
