package org.worldexplorer.runtime.latent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.memory.CameraHistory;

/**
 * Every latent of a session by absolute index, with its camera and action. The newest {@code ramLatents} latents
 * sit in one preallocated direct ring buffer; older ones spill to a memory-mapped temporary file, so RAM stays
 * bounded for an hour-long session and any past latent can still be read for memory retrieval.
 *
 * <p>A chunk enters in one or two steps. Its poses and actions are known before the DiT runs (memory selection
 * needs them), so {@link #appendPoses} may come first and {@link #appendLatents} fill them later; {@link #append}
 * does both at once. {@link #size()} counts poses, {@link #latentCount()} counts stored latents.
 *
 * <p>Layouts: a stored latent is [C, h, w]; chunk tensors (the DiT's input and output) are [C, L, h, w],
 * channel-major then latent. Reads and appends allocate nothing except when the spill file maps its next segment
 * or the pose arrays double. Owned and used by the generation thread only: not thread-safe. Close it to delete
 * the spill file; any later call throws {@link IllegalStateException}.
 */
public final class LatentStore implements CameraHistory, AutoCloseable {

  /** Spill segments are about this large, so the file grows in a few large steps. */
  private static final long SPILL_SEGMENT_BYTES = 256L << 20;

  private final LatentShape shape;
  private final int latentFloats;
  private final int ramLatents;
  private final FloatBuffer ring;
  private final SpillFile spill;
  private final LatentPoses poses;
  private int latentCount;
  private boolean closed;

  /** A store keeping {@code ramLatents} latents in RAM and spilling to the system temporary folder. */
  public LatentStore(LatentShape shape, int ramLatents) {
    this(shape, ramLatents, Path.of(System.getProperty("java.io.tmpdir")), defaultSegmentLatents(shape));
  }

  /**
   * A store keeping {@code ramLatents} latents in RAM and spilling to a file in {@code spillDirectory} that grows
   * {@code spillSegmentLatents} latents at a time.
   */
  public LatentStore(LatentShape shape, int ramLatents, Path spillDirectory, int spillSegmentLatents) {
    this.shape = shape;
    this.latentFloats = shape.floats();
    if (ramLatents < 1) {
      throw new IllegalArgumentException("the RAM ring must hold at least 1 latent, got " + ramLatents);
    }
    if ((long) ramLatents * shape.bytes() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          ramLatents + " latents of " + shape.bytes() + " bytes exceed one 2 GiB buffer; keep fewer in RAM");
    }
    this.ramLatents = ramLatents;
    this.ring = ByteBuffer.allocateDirect(ramLatents * shape.bytes()).order(ByteOrder.nativeOrder()).asFloatBuffer();
    this.poses = new LatentPoses(Math.max(1024, ramLatents));
    this.spill = new SpillFile(spillDirectory, latentFloats, spillSegmentLatents);
  }

  private static int defaultSegmentLatents(LatentShape shape) {
    return (int) Math.max(1, SPILL_SEGMENT_BYTES / shape.bytes());
  }

  // ---------------------------------------------------------------- appending

  /**
   * Records the cameras and actions of the next {@code count} latents, before their latents exist.
   *
   * @param worldToCamera world-to-camera matrices, finite, at least {@code count}
   * @param fx normalised focal lengths along x, finite and positive
   * @param fy normalised focal lengths along y, finite and positive
   * @param actions the action that led to each latent
   */
  public void appendPoses(int count, Matrix4fc[] worldToCamera, float[] fx, float[] fy, DualAction[] actions) {
    ensureOpen();
    validatePoses(count, worldToCamera, fx, fy, actions);
    for (int i = 0; i < count; i++) {
      poses.append(worldToCamera[i], fx[i], fy[i], actions[i]);
    }
  }

  /**
   * Stores the latents of the {@code count} oldest latents whose poses are recorded but whose latents are not,
   * from a chunk tensor [C, count, h, w] at {@code chunk}'s position (which does not move).
   *
   * @throws NonFiniteLatentException if any value is NaN or infinite; nothing is stored then
   */
  public void appendLatents(FloatBuffer chunk, int count) {
    ensureOpen();
    if (count < 1) {
      throw new IllegalArgumentException("a chunk has at least 1 latent, got " + count);
    }
    if (latentCount + count > poses.size()) {
      throw new IllegalStateException(
          "poses are known for " + (poses.size() - latentCount) + " more latents but " + count
              + " arrived; call appendPoses first, or use append");
    }
    requireChunk(chunk, count);
    rejectNonFinite(chunk, count);
    int plane = shape.plane();
    int base = chunk.position();
    for (int l = 0; l < count; l++) {
      int slot = latentCount % ramLatents;
      int slotOffset = slot * latentFloats;
      if (latentCount >= ramLatents) {
        spill.write(latentCount - ramLatents, ring, slotOffset);
      }
      for (int c = 0; c < shape.channels(); c++) {
        ring.put(slotOffset + c * plane, chunk, base + (c * count + l) * plane, plane);
      }
      latentCount++;
    }
  }

  /**
   * Records the poses and stores the latents of one chunk at once; see {@link #appendPoses} and {@link
   * #appendLatents}. Nothing is recorded if anything is invalid.
   */
  public void append(
      FloatBuffer chunk, int count, Matrix4fc[] worldToCamera, float[] fx, float[] fy, DualAction[] actions) {
    ensureOpen();
    if (poses.size() != latentCount) {
      throw new IllegalStateException(
          "poses of " + (poses.size() - latentCount) + " latents are already recorded; store their latents with "
              + "appendLatents");
    }
    validatePoses(count, worldToCamera, fx, fy, actions);
    requireChunk(chunk, count);
    rejectNonFinite(chunk, count);
    appendPoses(count, worldToCamera, fx, fy, actions);
    appendLatents(chunk, count);
  }

  // ---------------------------------------------------------------- reading latents

  /** Copies latent {@code latentIndex} as [C, h, w] into {@code dest} at its position (which does not move). */
  public void read(int latentIndex, FloatBuffer dest) {
    ensureOpen();
    requireLatent(latentIndex);
    if (dest.remaining() < latentFloats) {
      throw new IllegalArgumentException(
          "destination has " + dest.remaining() + " floats remaining but a latent needs " + latentFloats);
    }
    dest.put(dest.position(), source(latentIndex), sourceOffset(latentIndex), latentFloats);
  }

  /**
   * Copies latent {@code latentIndex} into slot {@code slot} of a chunk tensor [C, slots, h, w] that starts at
   * {@code dest}'s position (which does not move): how context latents are gathered for the DiT.
   */
  public void readIntoChunk(int latentIndex, FloatBuffer dest, int slot, int slots) {
    ensureOpen();
    requireLatent(latentIndex);
    if (slot < 0 || slot >= slots) {
      throw new IllegalArgumentException("slot must be in 0.." + (slots - 1) + ", got " + slot);
    }
    if (dest.remaining() < (long) slots * latentFloats) {
      throw new IllegalArgumentException(
          "destination has " + dest.remaining() + " floats remaining but " + slots + " latents need "
              + (long) slots * latentFloats);
    }
    FloatBuffer src = source(latentIndex);
    int srcOffset = sourceOffset(latentIndex);
    int plane = shape.plane();
    int base = dest.position();
    for (int c = 0; c < shape.channels(); c++) {
      dest.put(base + (c * slots + slot) * plane, src, srcOffset + c * plane, plane);
    }
  }

  /** Whether latent {@code latentIndex} is still in the RAM ring rather than the spill file. */
  public boolean inRam(int latentIndex) {
    ensureOpen();
    requireLatent(latentIndex);
    return latentIndex >= latentCount - ramLatents;
  }

  private FloatBuffer source(int latentIndex) {
    return latentIndex >= latentCount - ramLatents ? ring : spill.segmentOf(latentIndex);
  }

  private int sourceOffset(int latentIndex) {
    return latentIndex >= latentCount - ramLatents
        ? (latentIndex % ramLatents) * latentFloats
        : spill.offsetInSegment(latentIndex);
  }

  // ---------------------------------------------------------------- cameras and actions

  /** Number of latents whose pose is known (stored latents plus those recorded ahead by appendPoses). */
  @Override
  public int size() {
    ensureOpen();
    return poses.size();
  }

  @Override
  public Matrix4f worldToCamera(int latentIndex, Matrix4f dest) {
    ensureOpen();
    requirePose(latentIndex);
    return poses.worldToCamera(latentIndex, dest);
  }

  /** Normalised focal length along x of latent {@code latentIndex}. */
  public float fx(int latentIndex) {
    ensureOpen();
    requirePose(latentIndex);
    return poses.fx(latentIndex);
  }

  /** Normalised focal length along y of latent {@code latentIndex}. */
  public float fy(int latentIndex) {
    ensureOpen();
    requirePose(latentIndex);
    return poses.fy(latentIndex);
  }

  /** Discrete action label of latent {@code latentIndex}, without building a {@link DualAction}. */
  public int actionLabel(int latentIndex) {
    ensureOpen();
    requirePose(latentIndex);
    return poses.label(latentIndex);
  }

  /** The action of latent {@code latentIndex} as a new value (allocates; for logs and tools). */
  public DualAction action(int latentIndex) {
    ensureOpen();
    requirePose(latentIndex);
    return poses.action(latentIndex);
  }

  // ---------------------------------------------------------------- sizes

  /** Number of latents stored. */
  public int latentCount() {
    ensureOpen();
    return latentCount;
  }

  public LatentShape shape() {
    return shape;
  }

  /** Capacity of the RAM ring in latents. */
  public int ramLatents() {
    return ramLatents;
  }

  /** Bytes of the RAM ring: fixed at construction. */
  public long ramBytes() {
    return (long) ramLatents * shape.bytes();
  }

  /** Number of latents that live in the spill file. */
  public int spilledLatents() {
    ensureOpen();
    return Math.max(0, latentCount - ramLatents);
  }

  /** Bytes the spill file has grown to (whole segments). */
  public long spillFileBytes() {
    ensureOpen();
    return spill.mappedBytes();
  }

  /** Path of the spill file, deleted on close. */
  public Path spillPath() {
    return spill.path();
  }

  /** Unmaps and deletes the spill file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    spill.close();
  }

  // ---------------------------------------------------------------- checks

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this LatentStore is closed; a new session needs a new store");
    }
  }

  private void requireLatent(int latentIndex) {
    if (latentIndex < 0 || latentIndex >= latentCount) {
      throw new IndexOutOfBoundsException(
          "latent " + latentIndex + " is not stored; latents 0.." + (latentCount - 1) + " are");
    }
  }

  private void requirePose(int latentIndex) {
    if (latentIndex < 0 || latentIndex >= poses.size()) {
      throw new IndexOutOfBoundsException(
          "no pose for latent " + latentIndex + "; poses of latents 0.." + (poses.size() - 1) + " are known");
    }
  }

  private void requireChunk(FloatBuffer chunk, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a chunk has at least 1 latent, got " + count);
    }
    long needed = (long) count * latentFloats;
    if (chunk.remaining() < needed) {
      throw new IllegalArgumentException(
          "chunk buffer has " + chunk.remaining() + " floats remaining but " + count + " latents of "
              + shape + " need " + needed);
    }
  }

  private void rejectNonFinite(FloatBuffer chunk, int count) {
    int plane = shape.plane();
    int base = chunk.position();
    for (int c = 0; c < shape.channels(); c++) {
      for (int l = 0; l < count; l++) {
        int start = base + (c * count + l) * plane;
        for (int p = 0; p < plane; p++) {
          float v = chunk.get(start + p);
          if (!Float.isFinite(v)) {
            throw new NonFiniteLatentException(latentCount + l, c * plane + p, shape, v);
          }
        }
      }
    }
  }

  private static void validatePoses(
      int count, Matrix4fc[] worldToCamera, float[] fx, float[] fy, DualAction[] actions) {
    if (count < 1) {
      throw new IllegalArgumentException("a chunk has at least 1 latent, got " + count);
    }
    if (worldToCamera.length < count || fx.length < count || fy.length < count || actions.length < count) {
      throw new IllegalArgumentException(
          count + " latents need as many poses, fx, fy and actions; got " + worldToCamera.length + ", "
              + fx.length + ", " + fy.length + " and " + actions.length);
    }
    for (int i = 0; i < count; i++) {
      if (worldToCamera[i] == null || !worldToCamera[i].isFinite()) {
        throw new IllegalArgumentException("world-to-camera matrix " + i + " of the chunk is missing or not finite");
      }
      if (!(fx[i] > 0 && fy[i] > 0) || !Float.isFinite(fx[i]) || !Float.isFinite(fy[i])) {
        throw new IllegalArgumentException(
            "intrinsics of chunk latent " + i + " must be finite and positive, got fx " + fx[i] + ", fy " + fy[i]);
      }
      if (actions[i] == null) {
        throw new IllegalArgumentException("action " + i + " of the chunk is missing; use DualAction.STILL");
      }
    }
  }
}
