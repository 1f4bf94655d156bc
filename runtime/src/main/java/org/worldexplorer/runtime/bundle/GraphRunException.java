package org.worldexplorer.runtime.bundle;

/**
 * One run of a loaded graph failed: ONNX Runtime reported an error, or an output held NaN or infinity. The
 * bundle stays usable; the caller decides whether the session can go on.
 */
public class GraphRunException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String graph;
  private final String output;
  private final long index;

  /** A run that ONNX Runtime refused or aborted. */
  public GraphRunException(String graph, String message, Throwable cause) {
    super(graph + ": run failed: " + message, cause);
    this.graph = graph;
    this.output = null;
    this.index = -1;
  }

  /** An output that holds a non-finite value at flat (row-major) element {@code index}. */
  public GraphRunException(String graph, String output, long index, long elements, float value) {
    super(graph + ": output '" + output + "' holds " + value + " at element " + index + " of " + elements
        + " (row-major); the graph produced a non-finite value, so its result is unusable");
    this.graph = graph;
    this.output = output;
    this.index = index;
  }

  /** The graph file, e.g. {@code dit_chunk.onnx}. */
  public String graph() {
    return graph;
  }

  /** The output that held a non-finite value, or null when the run itself failed. */
  public String output() {
    return output;
  }

  /** The first non-finite element's flat index, or -1 when the run itself failed. */
  public long index() {
    return index;
  }
}
