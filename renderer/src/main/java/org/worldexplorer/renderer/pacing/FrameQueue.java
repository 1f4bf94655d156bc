package org.worldexplorer.renderer.pacing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off of RGB8 frames from the generation thread (one producer) to the GL thread (one consumer).
 * All slots are allocated once. The producer fills {@link #beginWrite} and publishes with {@link #commitWrite};
 * when the queue is full it waits, which is the back pressure that keeps generation at most a few chunks ahead.
 * The consumer never waits: it asks {@link #available}, reads {@link #peek} and hands the slot back with
 * {@link #release}.
 */
public final class FrameQueue {

  private final ByteBuffer[] slots;
  private final long[] frameNumbers;
  private final int frameBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private long written; // frames committed, ever
  private long read; // frames released, ever
  private boolean writing;

  public FrameQueue(int capacity, int frameBytes) {
    if (capacity < 1 || frameBytes < 1) {
      throw new IllegalArgumentException(
          "frame queue needs at least one slot of at least one byte, got " + capacity + " x " + frameBytes);
    }
    this.frameBytes = frameBytes;
    slots = new ByteBuffer[capacity];
    frameNumbers = new long[capacity];
    for (int i = 0; i < capacity; i++) {
      slots[i] = ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.nativeOrder());
    }
  }

  public int capacity() {
    return slots.length;
  }

  public int frameBytes() {
    return frameBytes;
  }

  /**
   * Producer: waits up to {@code timeout} for a free slot and returns it cleared for writing, or null on timeout.
   *
   * @throws InterruptedException when the generation thread is asked to stop while waiting
   */
  public ByteBuffer beginWrite(long timeout, TimeUnit unit) throws InterruptedException {
    lock.lock();
    try {
      if (writing) {
        throw new IllegalStateException("beginWrite called twice without commitWrite");
      }
      long nanos = unit.toNanos(timeout);
      while (written - read == slots.length) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      writing = true;
      ByteBuffer slot = slots[(int) (written % slots.length)];
      slot.clear();
      return slot;
    } finally {
      lock.unlock();
    }
  }

  /** Producer: publishes the slot from {@link #beginWrite} as frame number {@code frameNumber}. */
  public void commitWrite(long frameNumber) {
    lock.lock();
    try {
      if (!writing) {
        throw new IllegalStateException("commitWrite without beginWrite");
      }
      frameNumbers[(int) (written % slots.length)] = frameNumber;
      writing = false;
      written++;
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: frames waiting to be shown. */
  public int available() {
    lock.lock();
    try {
      return (int) (written - read);
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: the oldest waiting frame, positioned at 0 with {@code frameBytes} remaining; null if none. */
  public ByteBuffer peek() {
    lock.lock();
    try {
      if (written == read) {
        return null;
      }
      ByteBuffer slot = slots[(int) (read % slots.length)];
      slot.position(0).limit(frameBytes);
      return slot;
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: the frame number of the oldest waiting frame; call only when {@link #available} is positive. */
  public long peekFrameNumber() {
    lock.lock();
    try {
      if (written == read) {
        throw new IllegalStateException("no frame is waiting");
      }
      return frameNumbers[(int) (read % slots.length)];
    } finally {
      lock.unlock();
    }
  }

  /** Consumer: gives the oldest frame's slot back to the producer. */
  public void release() {
    lock.lock();
    try {
      if (written == read) {
        throw new IllegalStateException("release without a waiting frame");
      }
      read++;
      notFull.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every waiting frame (reset, seek); a producer blocked on a full queue wakes up. */
  public void clear() {
    lock.lock();
    try {
      read = written;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
