package org.worldexplorer.runtime.latent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Latents that left the RAM ring, in a memory-mapped temporary file addressed by spill index (the oldest latent is
 * 0). The file grows one mapped segment of many latents at a time, so a segment is mapped about once per
 * thousand latents and reads and writes in between allocate nothing. The file is deleted and unmapped on close.
 * Not thread-safe: its owner, the {@link LatentStore}, is used from one thread.
 */
final class SpillFile implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;
  private final int latentFloats;
  private final int segmentLatents;
  private final long segmentBytes;
  private MappedByteBuffer[] mapped = new MappedByteBuffer[4];
  private FloatBuffer[] segments = new FloatBuffer[4];
  private int segmentCount;

  SpillFile(Path directory, int latentFloats, int segmentLatents) {
    if (segmentLatents < 1) {
      throw new IllegalArgumentException("a spill segment holds at least 1 latent, got " + segmentLatents);
    }
    this.latentFloats = latentFloats;
    this.segmentLatents = segmentLatents;
    this.segmentBytes = (long) segmentLatents * latentFloats * Float.BYTES;
    if (segmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a spill segment of " + segmentLatents + " latents is over 2 GiB; use fewer latents per segment");
    }
    try {
      this.path = Files.createTempFile(directory, "worldexplorer-latents-", ".spill");
      this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the latent spill file in " + directory + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  /** Bytes the file takes so far: whole segments. */
  long mappedBytes() {
    return segmentCount * segmentBytes;
  }

  /** Copies one latent from {@code src} at float index {@code srcOffset} into spill slot {@code spillIndex}. */
  void write(int spillIndex, FloatBuffer src, int srcOffset) {
    int segment = spillIndex / segmentLatents;
    while (segment >= segmentCount) {
      mapNextSegment();
    }
    segments[segment].put(offsetInSegment(spillIndex), src, srcOffset, latentFloats);
  }

  /** The segment view that holds spill slot {@code spillIndex}; the latent starts at {@link #offsetInSegment}. */
  FloatBuffer segmentOf(int spillIndex) {
    return segments[spillIndex / segmentLatents];
  }

  int offsetInSegment(int spillIndex) {
    return (spillIndex % segmentLatents) * latentFloats;
  }

  private void mapNextSegment() {
    if (segmentCount == segments.length) {
      segments = Arrays.copyOf(segments, segmentCount * 2);
      mapped = Arrays.copyOf(mapped, segmentCount * 2);
    }
    try {
      MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_WRITE, segmentCount * segmentBytes, segmentBytes);
      bytes.order(ByteOrder.nativeOrder());
      mapped[segmentCount] = bytes;
      segments[segmentCount] = bytes.asFloatBuffer();
      segmentCount++;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot grow the latent spill file " + path + " to " + (segmentCount + 1) * segmentBytes
              + " bytes (is the disk full?): " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < segmentCount; i++) {
      segments[i] = null;
      Unmapper.unmap(mapped[i]);
      mapped[i] = null;
    }
    segmentCount = 0;
    try {
      channel.close();
    } catch (IOException e) {
      // the mapping is gone already; the delete below still frees the disk
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the latent spill file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Releases a mapping now instead of at garbage collection, so a closed hour-long session gives its gigabytes of
   * address space and disk back at once. Falls back to the garbage collector where the JVM offers no way.
   */
  private static final class Unmapper {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
      Object unsafe = null;
      Method cleaner = null;
      try {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        java.lang.reflect.Field field = unsafeClass.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafe = field.get(null);
        cleaner = unsafeClass.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        unsafe = null;
        cleaner = null;
      }
      UNSAFE = unsafe;
      INVOKE_CLEANER = cleaner;
    }

    static void unmap(MappedByteBuffer buffer) {
      if (buffer == null || INVOKE_CLEANER == null) {
        return;
      }
      try {
        INVOKE_CLEANER.invoke(UNSAFE, buffer);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // left to the garbage collector
      }
    }
  }
}
