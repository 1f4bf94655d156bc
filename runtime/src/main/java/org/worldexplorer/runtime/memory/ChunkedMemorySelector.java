package org.worldexplorer.runtime.memory;

/**
 * The part of memory selection that every scoring strategy shares: splitting a chunk into sub-chunks, the
 * all-history rule, the always-included and recent latents, and merging everything into one ascending list.
 * Subclasses only rank candidate chunks by view overlap.
 */
abstract class ChunkedMemorySelector implements MemorySelector {

  protected final MemoryConfig config;
  private final int[] forced;
  // Selected latents packed as (index << 1) | retrievedBit, so sorting puts a latent's plain entry first.
  private int[] packed;
  private final int[] chosenStarts;

  ChunkedMemorySelector(MemoryConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null; use MemoryConfig.upstream8b() or upstream5b()");
    }
    this.config = config;
    this.forced = config.forcedLatents();
    this.packed = new int[config.maxSelected(4 * config.chunkLatents())];
    this.chosenStarts = new int[config.retrievedChunks()];
  }

  @Override
  public final MemoryConfig config() {
    return config;
  }

  @Override
  public final int select(CameraHistory history, int chunkStart, int chunkLength, int[] out) {
    return select(history, chunkStart, chunkLength, out, null);
  }

  @Override
  public final int select(CameraHistory history, int chunkStart, int chunkLength, int[] out, boolean[] retrieved) {
    int chunkLatents = config.chunkLatents();
    if (history == null || out == null) {
      throw new IllegalArgumentException("history and out must not be null");
    }
    if (chunkStart < 0 || chunkLength < 1 || chunkLength % chunkLatents != 0) {
      throw new IllegalArgumentException("need chunkStart >= 0 and chunkLength a positive multiple of "
          + chunkLatents + ", got chunkStart=" + chunkStart + ", chunkLength=" + chunkLength);
    }
    int lastSubStart = chunkStart + chunkLength - chunkLatents;
    if (history.size() <= lastSubStart) {
      throw new IllegalArgumentException("the history holds " + history.size() + " poses but the chunk ["
          + chunkStart + ", " + (chunkStart + chunkLength) + ") needs at least " + (lastSubStart + 1)
          + "; append the chunk's poses before selecting its memory");
    }
    int needed = Math.min(chunkStart, config.maxSelected(chunkLength));
    if (out.length < needed || (retrieved != null && retrieved.length < needed)) {
      throw new IllegalArgumentException("out (and retrieved) need " + needed + " slots, got " + out.length
          + (retrieved == null ? "" : " and " + retrieved.length));
    }
    int maxPacked = config.maxSelected(chunkLength);
    if (packed.length < maxPacked) {
      packed = new int[maxPacked]; // only when a longer chunk than ever before arrives
    }
    prepare(history);
    int n = 0;
    for (int subStart = chunkStart; subStart <= lastSubStart; subStart += chunkLatents) {
      n = addSubChunk(history, subStart, chunkStart, n);
    }
    insertionSort(packed, n);
    int written = 0;
    int previous = -1;
    for (int i = 0; i < n; i++) {
      int index = packed[i] >>> 1;
      if (index != previous) {
        out[written] = index;
        if (retrieved != null) {
          retrieved[written] = (packed[i] & 1) != 0;
        }
        written++;
        previous = index;
      }
    }
    return written;
  }

  /**
   * Sorts {@code values[0, n)} ascending in place. Arrays.sort would allocate a run table for the longer lists of
   * multi-sub-chunk selections; these lists are short (at most 20 per sub-chunk) and made of ascending runs.
   */
  private static void insertionSort(int[] values, int n) {
    for (int i = 1; i < n; i++) {
      int value = values[i];
      int j = i - 1;
      while (j >= 0 && values[j] > value) {
        values[j + 1] = values[j];
        j--;
      }
      values[j + 1] = value;
    }
  }

  private int addSubChunk(CameraHistory history, int subStart, int chunkStart, int n) {
    if (subStart < config.allHistoryBelow()) {
      for (int i = 0; i < Math.min(subStart, chunkStart); i++) {
        packed[n++] = i << 1;
      }
      return n;
    }
    for (int latent : forced) {
      if (latent < chunkStart) {
        packed[n++] = latent << 1;
      }
    }
    int recentStart = Math.max(0, subStart - config.temporalContext());
    for (int i = recentStart; i < Math.min(subStart, chunkStart); i++) {
      packed[n++] = i << 1;
    }
    int queryEnd = Math.min(subStart + config.chunkLatents(), history.size());
    int chosen = rankCandidates(history, subStart, queryEnd, chosenStarts);
    for (int c = 0; c < chosen; c++) {
      int end = Math.min(chosenStarts[c] + config.chunkLatents(), chunkStart);
      for (int i = chosenStarts[c]; i < end; i++) {
        packed[n++] = (i << 1) | 1;
      }
    }
    return n;
  }

  /** Brings any per-history state up to date before a selection; the default keeps none. */
  void prepare(CameraHistory history) {}

  /**
   * Writes the starts of the best {@code config.retrievedChunks()} candidate chunks for the sub-chunk at
   * {@code subStart} into {@code best}: highest total overlap first, earlier start on ties (candidates with no
   * overlap come in start order), as upstream's stable sort by distance does.
   *
   * @param queryEnd end (exclusive) of the query cameras {@code [subStart, queryEnd)}
   * @return the number of chunk starts written (fewer only when fewer candidates exist)
   */
  abstract int rankCandidates(CameraHistory history, int subStart, int queryEnd, int[] best);

  /** End (exclusive) of the candidate chunk starts for a sub-chunk. */
  final int candidateEnd(int subStart) {
    return subStart - config.temporalContext();
  }
}
