package org.worldexplorer.runtime.bundle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Load check 3: a graph's manifest entry lists exactly the inputs and outputs the bundle format gives, with the
 * same dtypes and shapes (fixed sizes computed from the manifest, symbols by name). Where the format says float32,
 * float16 and bfloat16 are accepted too; int64 stays int64.
 */
public final class ContractCheck {

  private ContractCheck() {}

  /** Every difference between the required and the declared signature of one graph; empty when they agree. */
  public static List<String> problems(GraphSpec required, GraphSpec declared) {
    List<String> problems = new ArrayList<>();
    String file = declared.file();
    if (!file.equals(required.file())) {
      problems.add("graph file is " + file + " in the manifest but the bundle format names it " + required.file());
    }
    compare(file, "input", required.inputs(), declared.inputs(), problems);
    compare(file, "output", required.outputs(), declared.outputs(), problems);
    return problems;
  }

  /** The format's tables write float32 for every float tensor; a bundle may declare either half type instead. */
  static boolean accepts(DType required, DType declared) {
    return required == DType.FLOAT32 ? declared.isFloat() : declared == required;
  }

  private static String required(DType dtype) {
    return dtype == DType.FLOAT32 ? "a float type (float32, float16 or bfloat16)" : dtype.toString();
  }

  private static void compare(String file, String kind, List<TensorSpec> required, List<TensorSpec> declared,
      List<String> problems) {
    for (TensorSpec want : required) {
      Optional<TensorSpec> found = declared.stream().filter(t -> t.name().equals(want.name())).findFirst();
      if (found.isEmpty()) {
        problems.add(file + ": the manifest lists no " + kind + " '" + want.name() + "'; the bundle format requires "
            + want.dtype() + " " + Dim.format(want.shape()));
        continue;
      }
      TensorSpec have = found.get();
      if (!accepts(want.dtype(), have.dtype())) {
        problems.add(file + ": " + kind + " '" + want.name() + "' is " + have.dtype()
            + " in the manifest but the bundle format requires " + required(want.dtype()));
      }
      if (!have.shape().equals(want.shape())) {
        problems.add(file + ": " + kind + " '" + want.name() + "' has shape " + Dim.format(have.shape())
            + " in the manifest but the bundle format requires " + Dim.format(want.shape())
            + " (fixed sizes follow from the manifest's latent, video, sampler, vae, text and vision sections)");
      }
    }
    for (TensorSpec have : declared) {
      if (required.stream().noneMatch(t -> t.name().equals(have.name()))) {
        problems.add(file + ": the manifest lists " + kind + " '" + have.name()
            + "', which the bundle format does not define for this graph; its " + kind + "s are "
            + required.stream().map(TensorSpec::name).collect(Collectors.joining(", ")));
      }
    }
  }
}
