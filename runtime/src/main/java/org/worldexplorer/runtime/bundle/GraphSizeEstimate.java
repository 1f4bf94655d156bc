package org.worldexplorer.runtime.bundle;

import java.nio.file.Path;
import java.util.Optional;
import org.worldexplorer.runtime.bundle.ValidationReport.MemoryEstimate;

/**
 * The estimate for a bundle without a {@code footprint}: its graph files (weights) plus every graph input and
 * output at its largest size. It knows nothing of activations, so it is a lower bound.
 */
final class GraphSizeEstimate {

  private GraphSizeEstimate() {}

  static MemoryEstimate of(Path directory, Manifest manifest) {
    BundleContract contract = BundleContract.of(manifest);
    long graphBytes = 0;
    long tensorBytes = 0;
    for (String key : manifest.graphKeys()) {
      graphBytes += BundleFolder.graphBytes(directory, manifest.graph(key));
      // The format's shapes, not the manifest's: they hold only symbols the contract can size. The element
      // size is the manifest's, which may declare a half type where the format writes float32.
      GraphSpec required = contract.graph(key);
      GraphSpec declared = manifest.graph(key);
      for (TensorSpec tensor : required.inputs()) {
        tensorBytes += largestBytes(contract, key, tensor, declared.input(tensor.name()));
      }
      for (TensorSpec tensor : required.outputs()) {
        tensorBytes += largestBytes(contract, key, tensor, declared.output(tensor.name()));
      }
    }
    return new MemoryEstimate(graphBytes, tensorBytes);
  }

  private static long largestBytes(BundleContract contract, String key, TensorSpec tensor,
      Optional<TensorSpec> declared) {
    long elements = 1;
    for (Dim dim : tensor.shape()) {
      elements *= dim instanceof Dim.Fixed fixed ? fixed.size() : contract.largestSize(key, (Dim.Symbol) dim);
    }
    return elements * declared.map(TensorSpec::dtype).orElse(tensor.dtype()).bytes();
  }
}
