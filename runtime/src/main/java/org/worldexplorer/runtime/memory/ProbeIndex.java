package org.worldexplorer.runtime.memory;

/**
 * A spatial hash of camera centres: cameras (with their world centre and viewing direction) are appended and
 * listed per cubic cell. Storage grows by doubling, so appends allocate only when the capacity is passed.
 * Not thread-safe.
 */
final class ProbeIndex {

  private static final long EMPTY = Long.MIN_VALUE;
  private static final int COORDINATE_BITS = 21;
  private static final long COORDINATE_MASK = (1L << COORDINATE_BITS) - 1;

  private final double cellSize;

  // Per camera, interleaved so that a visit touches few cache lines: centre and direction (6 doubles), and the
  // latent index and the next camera in the same cell (-1 ends the list).
  private double[] poses;
  private int[] links;
  private int capacity;
  private int count;

  private long[] cellKeys;
  private int[] cellHeads;
  private int cells;

  ProbeIndex(double cellSize, int initialCapacity) {
    this.cellSize = cellSize;
    capacity = Math.max(16, initialCapacity);
    poses = new double[6 * capacity];
    links = new int[2 * capacity];
    allocateCells(Integer.highestOneBit(capacity) * 2);
  }

  void clear() {
    count = 0;
    cells = 0;
    java.util.Arrays.fill(cellKeys, EMPTY);
  }

  int size() {
    return count;
  }

  double cellSize() {
    return cellSize;
  }

  /** Appends a camera given by its world centre and direction (both in {@code data[at..at+5]}). */
  void add(int latentIndex, double[] data, int at) {
    if (count == capacity) {
      grow();
    }
    int id = count++;
    links[2 * id] = latentIndex;
    System.arraycopy(data, at, poses, 6 * id, 6);
    long key = key(cell(data[at]), cell(data[at + 1]), cell(data[at + 2]));
    int slot = findSlot(key);
    if (cellKeys[slot] == EMPTY) {
      cellKeys[slot] = key;
      cellHeads[slot] = -1;
      cells++;
    }
    links[2 * id + 1] = cellHeads[slot];
    cellHeads[slot] = id;
    if (2 * cells > cellKeys.length) {
      rehash(cellKeys.length * 2);
    }
  }

  int cell(double coordinate) {
    return (int) Math.floor(coordinate / cellSize);
  }

  /** First camera in cell (x, y, z), or -1. */
  int head(int x, int y, int z) {
    int slot = findSlot(key(x, y, z));
    return cellKeys[slot] == EMPTY ? -1 : cellHeads[slot];
  }

  int next(int id) {
    return links[2 * id + 1];
  }

  int latent(int id) {
    return links[2 * id];
  }

  double centre(int id, int axis) {
    return poses[6 * id + axis];
  }

  double forward(int id, int axis) {
    return poses[6 * id + 3 + axis];
  }

  private static long key(int x, int y, int z) {
    return ((x & COORDINATE_MASK) << (2 * COORDINATE_BITS)) | ((y & COORDINATE_MASK) << COORDINATE_BITS)
        | (z & COORDINATE_MASK);
  }

  private int findSlot(long key) {
    int mask = cellKeys.length - 1;
    long h = key * 0x9E3779B97F4A7C15L;
    int slot = (int) (h ^ (h >>> 32)) & mask;
    while (cellKeys[slot] != EMPTY && cellKeys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    capacity *= 2;
    poses = java.util.Arrays.copyOf(poses, 6 * capacity);
    links = java.util.Arrays.copyOf(links, 2 * capacity);
  }

  private void allocateCells(int slots) {
    cellKeys = new long[slots];
    cellHeads = new int[slots];
    java.util.Arrays.fill(cellKeys, EMPTY);
  }

  private void rehash(int slots) {
    long[] oldKeys = cellKeys;
    int[] oldHeads = cellHeads;
    allocateCells(slots);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = findSlot(oldKeys[i]);
        cellKeys[slot] = oldKeys[i];
        cellHeads[slot] = oldHeads[i];
      }
    }
  }
}
