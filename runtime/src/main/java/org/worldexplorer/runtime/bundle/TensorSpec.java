package org.worldexplorer.runtime.bundle;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One graph input or output: name, element type and shape (fixed and symbolic sizes).
 *
 * @param name tensor name, as the graph spells it
 * @param dtype element type
 * @param shape sizes, outermost first
 */
public record TensorSpec(String name, DType dtype, List<Dim> shape) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  public TensorSpec {
    Require.matches(name, NAME, "tensor name", "lower-case letters, digits and '_'");
    Require.present(dtype, "dtype of tensor '" + name + "'");
    shape = Require.list(shape, "shape of tensor '" + name + "'");
  }

  /** Number of axes. */
  public int rank() {
    return shape.size();
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + Dim.format(shape);
  }
}
