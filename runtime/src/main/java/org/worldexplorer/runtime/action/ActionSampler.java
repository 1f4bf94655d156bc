package org.worldexplorer.runtime.action;

import java.util.Arrays;

/**
 * Turns a stream of timestamped {@link Intent}s into one {@link DualAction} per latent, one chunk at a time.
 *
 * <p>At each chunk boundary the input window {@code [t0, t1)} (t0 is the previous boundary) is cut into N equal
 * quarters, N being the latents per chunk, and quarter k becomes latent k of the chunk. So a short tap moves
 * one latent, not a whole chunk. Per quarter:
 * <ul>
 *   <li>Movement: the move level counts as held by the rule of {@link HeldChannel} (held for at least half the
 *       quarter; a tap that never reaches that still holds exactly one quarter, the one it covered most). A held
 *       quarter translates by the step times the mean move direction (normalised when longer than one, so
 *       diagonals are not faster); with the fast modifier held for most of that time it uses the maximum
 *       translation instead.</li>
 *   <li>Turning: held turn keys give the rotation step times the mean level on each axis, by the same rule;
 *       the look impulses stamped inside the quarter are added; yaw and pitch are each clamped to the maximum
 *       rotation (the excess is dropped, never carried to the next latent).</li>
 *   <li>The label is the {@link DiscreteLabeler}'s label of the resulting relative pose.</li>
 * </ul>
 *
 * <p>Threads: {@link #record} may be called from any thread (the renderer's input thread); it copies the
 * intent into preallocated arrays under a short lock and allocates nothing. {@link #start} and
 * {@link #sampleChunk} belong to one thread (the generation thread). Intents stamped before the window start
 * count as at its start; intents stamped earlier than the previous recorded one are moved forward to it; when
 * the queue is full, a new intent is merged into the newest queued one (its levels win, look motion adds up)
 * and {@link #mergedIntents()} counts it.
 *
 * <p>The first chunk of a session holds latent 0, which the model takes as the start image and which must stay
 * still: the caller replaces that latent's action with {@link DualAction#STILL}.
 */
public final class ActionSampler {

  private final ActionLimits limits;
  private final DiscreteLabeler labeler;
  private final int latentsPerChunk;

  private final Object queueLock = new Object();
  private final long[] queuedTime;
  private final float[] queuedLevels;
  private final float[] queuedLook;
  private final boolean[] queuedFast;
  private int queuedCount;
  private long mergedIntents;

  private final long[] windowTime;
  private final float[] windowLevels;
  private final float[] windowLook;
  private final boolean[] windowFast;

  private final HeldChannel move;
  private final HeldChannel turn;
  private final long[] fastNanos;
  private final double[] lookYaw;
  private final double[] lookPitch;
  private boolean fastLevel;
  private boolean started;
  private long windowStart;

  /**
   * @param limits step sizes, clamps and label thresholds
   * @param latentsPerChunk latents per chunk, from the bundle manifest (4 for the upstream models)
   * @param queueCapacity how many intents may wait between two chunk boundaries before they are merged
   */
  public ActionSampler(ActionLimits limits, int latentsPerChunk, int queueCapacity) {
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null; use ActionLimits.upstreamDefaults()");
    }
    if (latentsPerChunk < 1) {
      throw new IllegalArgumentException("latentsPerChunk must be at least 1, got " + latentsPerChunk);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
    }
    this.limits = limits;
    this.labeler = new DiscreteLabeler(limits);
    this.latentsPerChunk = latentsPerChunk;
    queuedTime = new long[queueCapacity];
    queuedLevels = new float[4 * queueCapacity];
    queuedLook = new float[2 * queueCapacity];
    queuedFast = new boolean[queueCapacity];
    windowTime = new long[queueCapacity];
    windowLevels = new float[4 * queueCapacity];
    windowLook = new float[2 * queueCapacity];
    windowFast = new boolean[queueCapacity];
    move = new HeldChannel(latentsPerChunk);
    turn = new HeldChannel(latentsPerChunk);
    fastNanos = new long[latentsPerChunk];
    lookYaw = new double[latentsPerChunk];
    lookPitch = new double[latentsPerChunk];
  }

  /** Latents per chunk, so the length of the array {@link #sampleChunk} fills. */
  public int latentsPerChunk() {
    return latentsPerChunk;
  }

  /** How many intents were merged into an earlier one because the queue was full. */
  public long mergedIntents() {
    synchronized (queueLock) {
      return mergedIntents;
    }
  }

  /** Starts (or restarts) sampling at {@code startNanos}: drops queued intents, releases every key. */
  public void start(long startNanos) {
    synchronized (queueLock) {
      queuedCount = 0;
      mergedIntents = 0;
    }
    move.reset();
    turn.reset();
    fastLevel = false;
    windowStart = startNanos;
    started = true;
  }

  /** Queues {@code intent} as happening at {@code timeNanos}. */
  public void record(long timeNanos, Intent intent) {
    record(timeNanos, intent.moveForward(), intent.moveRight(), intent.turnRight(), intent.turnUp(),
        intent.yawDegrees(), intent.pitchDegrees(), intent.fast());
  }

  /** Queues an intent given field by field (see {@link Intent}); allocates nothing. */
  public void record(long timeNanos, float moveForward, float moveRight, float turnRight, float turnUp,
      float yawDegrees, float pitchDegrees, boolean fast) {
    Intent.requireAxis("moveForward", moveForward);
    Intent.requireAxis("moveRight", moveRight);
    Intent.requireAxis("turnRight", turnRight);
    Intent.requireAxis("turnUp", turnUp);
    Intent.requireFinite("yawDegrees", yawDegrees);
    Intent.requireFinite("pitchDegrees", pitchDegrees);
    synchronized (queueLock) {
      int slot = queuedCount;
      if (slot == queuedTime.length) {
        slot--;
        mergedIntents++;
        yawDegrees += queuedLook[2 * slot];
        pitchDegrees += queuedLook[2 * slot + 1];
      } else {
        queuedCount++;
        queuedTime[slot] = slot > 0 ? Math.max(timeNanos, queuedTime[slot - 1]) : timeNanos;
      }
      queuedLevels[4 * slot] = moveForward;
      queuedLevels[4 * slot + 1] = moveRight;
      queuedLevels[4 * slot + 2] = turnRight;
      queuedLevels[4 * slot + 3] = turnUp;
      queuedLook[2 * slot] = yawDegrees;
      queuedLook[2 * slot + 1] = pitchDegrees;
      queuedFast[slot] = fast;
    }
  }

  /**
   * Closes the window that ends at {@code endNanos} and writes one action per latent of the chunk into
   * {@code out[0 .. latentsPerChunk)}. Intents stamped at or after {@code endNanos} stay for the next window.
   * Allocates only the returned actions.
   *
   * @return {@code out}
   */
  public DualAction[] sampleChunk(long endNanos, DualAction[] out) {
    if (!started) {
      throw new IllegalStateException("call start(startNanos) before sampleChunk");
    }
    if (out.length < latentsPerChunk) {
      throw new IllegalArgumentException("out must hold " + latentsPerChunk + " actions, has " + out.length);
    }
    long span = endNanos - windowStart;
    if (span < latentsPerChunk) {
      throw new IllegalArgumentException("window end " + endNanos + " must be at least " + latentsPerChunk
          + " ns after the window start " + windowStart);
    }
    int count = takeWindow(endNanos);
    move.beginWindow();
    turn.beginWindow();
    Arrays.fill(fastNanos, 0L);
    Arrays.fill(lookYaw, 0.0);
    Arrays.fill(lookPitch, 0.0);

    int quarter = 0;
    long cursor = windowStart;
    for (int i = 0; i < count; i++) {
      long time = Math.max(windowTime[i], windowStart);
      quarter = advance(quarter, cursor, time, span);
      cursor = time;
      long length = quarterEnd(quarter, span) - quarterEnd(quarter - 1, span);
      move.setLevel(windowLevels[4 * i], windowLevels[4 * i + 1], quarter, length);
      turn.setLevel(windowLevels[4 * i + 2], windowLevels[4 * i + 3], quarter, length);
      fastLevel = windowFast[i];
      lookYaw[quarter] += windowLook[2 * i];
      lookPitch[quarter] += windowLook[2 * i + 1];
    }
    advance(quarter, cursor, endNanos, span);

    for (int q = 0; q < latentsPerChunk; q++) {
      out[q] = actionOf(q, quarterEnd(q, span) - quarterEnd(q - 1, span));
    }
    windowStart = endNanos;
    return out;
  }

  /** Moves the queued intents stamped before {@code endNanos} into the window arrays; returns their count. */
  private int takeWindow(long endNanos) {
    synchronized (queueLock) {
      int count = 0;
      while (count < queuedCount && queuedTime[count] < endNanos) {
        count++;
      }
      System.arraycopy(queuedTime, 0, windowTime, 0, count);
      System.arraycopy(queuedLevels, 0, windowLevels, 0, 4 * count);
      System.arraycopy(queuedLook, 0, windowLook, 0, 2 * count);
      System.arraycopy(queuedFast, 0, windowFast, 0, count);
      int left = queuedCount - count;
      System.arraycopy(queuedTime, count, queuedTime, 0, left);
      System.arraycopy(queuedLevels, 4 * count, queuedLevels, 0, 4 * left);
      System.arraycopy(queuedLook, 2 * count, queuedLook, 0, 2 * left);
      System.arraycopy(queuedFast, count, queuedFast, 0, left);
      queuedCount = left;
      return count;
    }
  }

  /** End of quarter {@code q} (quarter -1 ends at the window start). */
  private long quarterEnd(int q, long span) {
    return windowStart + span * (q + 1) / latentsPerChunk;
  }

  /** Lets the current levels run from {@code from} to {@code to}, closing quarters; returns the new quarter. */
  private int advance(int quarter, long from, long to, long span) {
    while (quarter < latentsPerChunk) {
      long end = quarterEnd(quarter, span);
      long length = end - quarterEnd(quarter - 1, span);
      if (to < end) {
        accumulate(quarter, to - from);
        return quarter;
      }
      accumulate(quarter, end - from);
      move.endQuarter(quarter, length);
      turn.endQuarter(quarter, length);
      from = end;
      quarter++;
    }
    return quarter;
  }

  private void accumulate(int quarter, long nanos) {
    move.accumulate(quarter, nanos);
    turn.accumulate(quarter, nanos);
    if (fastLevel && move.isPressed() && nanos > 0) {
      fastNanos[quarter] += nanos;
    }
  }

  private DualAction actionOf(int q, long length) {
    double forward = 0;
    double right = 0;
    if (move.isHeld(q, length)) {
      double f = move.meanX(q);
      double r = move.meanY(q);
      double norm = Math.sqrt(f * f + r * r);
      double scale = norm > 1 ? 1 / norm : 1;
      boolean fast = 2 * fastNanos[q] > move.heldNanos(q);
      double step = fast ? limits.maxTranslation() : limits.translationStep();
      forward = step * f * scale;
      right = step * r * scale;
    }
    double yaw = lookYaw[q];
    double pitch = lookPitch[q];
    if (turn.isHeld(q, length)) {
      yaw += limits.rotationStepDegrees() * turn.meanX(q);
      pitch += limits.rotationStepDegrees() * turn.meanY(q);
    }
    double max = limits.maxRotationDegrees();
    float f = (float) forward;
    float r = (float) right;
    float y = (float) Math.max(-max, Math.min(max, yaw));
    float p = (float) Math.max(-max, Math.min(max, pitch));
    return new DualAction(labeler.labelOfStep(f, r, y, p), f, r, y, p);
  }
}
