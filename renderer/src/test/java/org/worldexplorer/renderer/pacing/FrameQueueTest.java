package org.worldexplorer.renderer.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FrameQueueTest {

  @Test
  void framesComeOutInOrderWithTheirContentAcrossThreads() throws Exception {
    FrameQueue queue = new FrameQueue(3, 64);
    int frames = 500;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread producer = new Thread(() -> {
      try {
        for (int f = 0; f < frames; f++) {
          ByteBuffer slot = queue.beginWrite(10, TimeUnit.SECONDS);
          for (int i = 0; i < 64; i++) {
            slot.put((byte) (f + i));
          }
          queue.commitWrite(f);
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    producer.start();
    int seen = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (seen < frames && System.nanoTime() < deadline) {
      if (queue.available() == 0) {
        Thread.onSpinWait();
        continue;
      }
      assertEquals(seen, queue.peekFrameNumber());
      ByteBuffer frame = queue.peek();
      assertEquals(64, frame.remaining());
      for (int i = 0; i < 64; i++) {
        assertEquals((byte) (seen + i), frame.get(i), "frame " + seen + " byte " + i);
      }
      queue.release();
      seen++;
    }
    producer.join();
    assertNull(failure.get());
    assertEquals(frames, seen);
  }

  @Test
  void aFullQueueMakesTheProducerWaitAndTimesOut() throws Exception {
    FrameQueue queue = new FrameQueue(2, 8);
    for (int f = 0; f < 2; f++) {
      assertNotNull(queue.beginWrite(0, TimeUnit.MILLISECONDS));
      queue.commitWrite(f);
    }
    assertNull(queue.beginWrite(20, TimeUnit.MILLISECONDS), "full: no slot within the timeout");
    queue.release();
    assertNotNull(queue.beginWrite(0, TimeUnit.MILLISECONDS), "a released slot is writable again");
  }

  @Test
  void slotsAreReusedNotAllocated() throws Exception {
    FrameQueue queue = new FrameQueue(2, 8);
    ByteBuffer first = queue.beginWrite(0, TimeUnit.MILLISECONDS);
    queue.commitWrite(0);
    queue.release();
    queue.beginWrite(0, TimeUnit.MILLISECONDS);
    queue.commitWrite(1);
    queue.release();
    assertSame(first, queue.beginWrite(0, TimeUnit.MILLISECONDS));
  }

  @Test
  void misuseIsAnErrorThatSaysWhat() throws Exception {
    FrameQueue queue = new FrameQueue(2, 8);
    assertNull(queue.peek());
    assertThrows(IllegalStateException.class, queue::release);
    assertThrows(IllegalStateException.class, () -> queue.commitWrite(0));
    queue.beginWrite(0, TimeUnit.MILLISECONDS);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> queue.beginWrite(0, TimeUnit.MILLISECONDS));
    assertEquals("beginWrite called twice without commitWrite", e.getMessage());
    queue.commitWrite(0);
    queue.clear();
    assertEquals(0, queue.available());
  }
}
