package org.worldexplorer.runtime.bundle;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One graph of a bundle: its file and the inputs and outputs it declares.
 *
 * @param file the {@code .onnx} file inside the bundle folder
 * @param inputs graph inputs, in the order the manifest lists them
 * @param outputs graph outputs
 */
public record GraphSpec(String file, List<TensorSpec> inputs, List<TensorSpec> outputs) {

  public GraphSpec {
    Require.plainFile(file, "graph file");
    if (!file.endsWith(".onnx")) {
      throw new IllegalArgumentException("graph file must end in .onnx, got \"" + file + "\"");
    }
    inputs = Require.list(inputs, "inputs of " + file);
    outputs = Require.list(outputs, "outputs of " + file);
    requireUniqueNames(inputs, file, "input");
    requireUniqueNames(outputs, file, "output");
  }

  /** The input with this name, if declared. */
  public Optional<TensorSpec> input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** The output with this name, if declared. */
  public Optional<TensorSpec> output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private static void requireUniqueNames(List<TensorSpec> tensors, String file, String kind) {
    Set<String> seen = new HashSet<>();
    for (TensorSpec tensor : tensors) {
      if (!seen.add(tensor.name())) {
        throw new IllegalArgumentException(file + " lists " + kind + " '" + tensor.name() + "' twice");
      }
    }
  }
}
