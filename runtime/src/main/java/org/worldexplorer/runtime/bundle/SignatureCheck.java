package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Load check 4: a graph opened by ONNX Runtime has exactly the manifest's inputs and outputs. Names and dtypes
 * must match, the rank must match, a fixed size must be equal, and a symbolic size must be dynamic in the graph,
 * except that a symbol the manifest fixes to one value ({@code n_vision} = {@code vision.tokens}) may also be that
 * size: ONNX Runtime's shape inference states it when the graph's inputs are all fixed, as an image encoder's are.
 */
public final class SignatureCheck {

  /** How ONNX Runtime reports a dynamic size. */
  private static final long DYNAMIC = -1;

  private SignatureCheck() {}

  /**
   * Every difference between the manifest entry and the graph's own signature; empty when they agree.
   *
   * @param declared the manifest entry
   * @param graphInputs {@code OrtSession.getInputInfo()}
   * @param graphOutputs {@code OrtSession.getOutputInfo()}
   */
  public static List<String> problems(GraphSpec declared, Map<String, NodeInfo> graphInputs,
      Map<String, NodeInfo> graphOutputs) {
    return problems(declared, graphInputs, graphOutputs, Map.of());
  }

  /** As {@link #problems(GraphSpec, Map, Map)}, with the symbols {@code manifest} fixes to one value. */
  public static List<String> problems(Manifest manifest, GraphSpec declared, Map<String, NodeInfo> graphInputs,
      Map<String, NodeInfo> graphOutputs) {
    return problems(declared, graphInputs, graphOutputs, fixedSymbols(manifest));
  }

  /** Symbols with one value per bundle: {@code n_vision} is {@code vision.tokens}. */
  static Map<String, Long> fixedSymbols(Manifest manifest) {
    return manifest.vision() == null ? Map.of()
        : Map.of(BundleContract.N_VISION, (long) manifest.vision().tokens());
  }

  private static List<String> problems(GraphSpec declared, Map<String, NodeInfo> graphInputs,
      Map<String, NodeInfo> graphOutputs, Map<String, Long> fixedSymbols) {
    List<String> problems = new ArrayList<>();
    compare(declared.file(), "input", declared.inputs(), graphInputs, fixedSymbols, problems);
    compare(declared.file(), "output", declared.outputs(), graphOutputs, fixedSymbols, problems);
    return problems;
  }

  private static void compare(String file, String kind, List<TensorSpec> declared, Map<String, NodeInfo> graph,
      Map<String, Long> fixedSymbols, List<String> problems) {
    for (TensorSpec want : declared) {
      NodeInfo node = graph.get(want.name());
      if (node == null) {
        problems.add(file + ": the manifest lists " + kind + " '" + want.name() + "' but the graph has no such "
            + kind + "; the graph's " + kind + "s are " + graph.keySet());
        continue;
      }
      ValueInfo info = node.getInfo();
      if (!(info instanceof TensorInfo tensor)) {
        problems.add(file + ": " + kind + " '" + want.name() + "' is a tensor in the manifest but "
            + info.getClass().getSimpleName() + " (" + info + ") in the graph");
        continue;
      }
      if (tensor.type != want.dtype().ortType()) {
        problems.add(file + ": " + kind + " '" + want.name() + "' is " + want.dtype() + " in the manifest but "
            + dtypeName(tensor.type) + " in the graph");
      }
      if (!shapeMatches(want, tensor.getShape(), fixedSymbols)) {
        problems.add(file + ": " + kind + " '" + want.name() + "' has shape " + Dim.format(want.shape())
            + " in the manifest but " + formatGraphShape(tensor) + " in the graph"
            + symbolHint(want, tensor, fixedSymbols));
      }
    }
    for (String name : graph.keySet()) {
      if (declared.stream().noneMatch(t -> t.name().equals(name))) {
        problems.add(file + ": the graph has " + kind + " '" + name + "', which the manifest does not list");
      }
    }
  }

  private static boolean shapeMatches(TensorSpec want, long[] shape, Map<String, Long> fixedSymbols) {
    if (shape.length != want.rank()) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      Dim dim = want.shape().get(i);
      boolean ok = dim instanceof Dim.Fixed fixed ? shape[i] == fixed.size()
          : shape[i] == DYNAMIC || Long.valueOf(shape[i]).equals(fixedSymbols.get(((Dim.Symbol) dim).name()));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Points at the usual export mistake: a symbolic size traced as a constant. */
  private static String symbolHint(TensorSpec want, TensorInfo tensor, Map<String, Long> fixedSymbols) {
    long[] shape = tensor.getShape();
    if (shape.length != want.rank()) {
      return "";
    }
    for (int i = 0; i < shape.length; i++) {
      if (want.shape().get(i) instanceof Dim.Symbol symbol && shape[i] != DYNAMIC) {
        Long value = fixedSymbols.get(symbol.name());
        return "; the symbolic size " + symbol.name() + " must be a dynamic axis of the graph (export it with"
            + " dynamic_axes)" + (value == null ? "" : " or " + value + ", its value in this manifest");
      }
    }
    return "";
  }

  private static String formatGraphShape(TensorInfo tensor) {
    long[] shape = tensor.getShape();
    String[] names = tensor.getDimensionNames();
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      if (shape[i] != DYNAMIC) {
        text.append(shape[i]);
      } else {
        boolean named = names != null && i < names.length && names[i] != null && !names[i].isEmpty();
        text.append(named ? names[i] : "?");
      }
    }
    return text.append(']').toString();
  }

  /** The bundle format's spelling of an ONNX Runtime element type. */
  static String dtypeName(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case FLOAT16 -> "float16";
      case BFLOAT16 -> "bfloat16";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
