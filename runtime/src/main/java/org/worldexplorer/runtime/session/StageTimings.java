package org.worldexplorer.runtime.session;

/**
 * Where one chunk's time went, in nanoseconds: memory selection, the DiT graph, the decoder graph, text encoding
 * (zero on a cache hit), and host work outside the graphs (input staging, noise, bookkeeping). One instance per
 * session, overwritten each chunk.
 */
public final class StageTimings {
  public long selectNanos;
  public long ditNanos;
  public long decodeNanos;
  public long textNanos;
  public long hostNanos;
  public long totalNanos;

  void clear() {
    selectNanos = ditNanos = decodeNanos = textNanos = hostNanos = totalNanos = 0;
  }
}
