package org.worldexplorer.runtime.memory;

/**
 * Keeps the k best candidate chunks seen so far: higher score first, and among equal scores the one offered
 * first. Offering candidates in ascending start order therefore reproduces a stable sort by distance.
 * Preallocated; not thread-safe.
 */
final class BestChunks {

  private final int[] starts;
  private final long[] scores;
  private int size;

  BestChunks(int capacity) {
    starts = new int[capacity];
    scores = new long[capacity];
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  /** True when {@code score} would be accepted now: the list has room or it beats the worst kept score. */
  boolean wouldAccept(long score) {
    return size < starts.length || score > scores[size - 1];
  }

  void offer(int start, long score) {
    if (!wouldAccept(score)) {
      return;
    }
    int at = Math.min(size, starts.length - 1);
    // Strictly greater moves ahead, so an earlier offer keeps its place on a tie.
    while (at > 0 && scores[at - 1] < score) {
      starts[at] = starts[at - 1];
      scores[at] = scores[at - 1];
      at--;
    }
    starts[at] = start;
    scores[at] = score;
    size = Math.min(size + 1, starts.length);
  }

  int start(int rank) {
    return starts[rank];
  }

  long score(int rank) {
    return scores[rank];
  }
}
