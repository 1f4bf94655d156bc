package org.worldexplorer.runtime.memory;

/**
 * Keeps the k best candidate chunks offered: higher score first, and among equal scores the earlier start, which
 * is the order of upstream's stable sort by distance over candidates in start order. Offers may come in any
 * order. Preallocated; not thread-safe.
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

  boolean full() {
    return size == starts.length;
  }

  void offer(int start, long score) {
    if (full() && !before(start, score, size - 1)) {
      return;
    }
    int at = full() ? size - 1 : size;
    while (at > 0 && before(start, score, at - 1)) {
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

  private boolean before(int start, long score, int rank) {
    return score > scores[rank] || (score == scores[rank] && start < starts[rank]);
  }
}
