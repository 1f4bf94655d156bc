package org.worldexplorer.app;

/**
 * Numbers the generation thread publishes for the panel. Written by the generation thread, read by the GL thread;
 * single values are volatile, and the small per-chunk histories are plain arrays whose occasional torn read only
 * shows as one odd plot point.
 */
final class GenerationStats {
  static final int HISTORY = 64;

  volatile int chunks;
  volatile double lastChunkMillis;
  volatile double selectMillis;
  volatile double ditMillis;
  volatile double decodeMillis;
  volatile double hostMillis;
  volatile double generationFps;
  volatile boolean paused;
  volatile String error = "";
  volatile String notice = "";
  final float[] chunkMillisHistory = new float[HISTORY];

  /** Per text event (by id): the chunk it took effect at (-1 until then), and how long its text took. */
  static final int MAX_EVENTS = 1024;
  final int[] eventChunk = filled(MAX_EVENTS, -1);
  final double[] eventTextMillis = new double[MAX_EVENTS];
  final boolean[] eventEncoded = new boolean[MAX_EVENTS];

  void eventApplied(int id, int chunk, boolean encoded, long textNanos, String promptNotice) {
    if (id >= 0 && id < MAX_EVENTS) {
      eventTextMillis[id] = textNanos / 1e6;
      eventEncoded[id] = encoded;
      eventChunk[id] = chunk;
    }
    notice = promptNotice;
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  /** Camera path (x, z per latent) and which latents the last selection retrieved, for the minimap. */
  volatile int pathLength;
  final float[] pathX = new float[1 << 16];
  final float[] pathZ = new float[1 << 16];
  volatile int retrievedCount;
  final int[] retrievedLatents = new int[64];
}
