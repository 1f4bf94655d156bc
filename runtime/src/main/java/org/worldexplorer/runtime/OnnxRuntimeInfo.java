package org.worldexplorer.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.List;

/**
 * What the loaded ONNX Runtime library is: its version and the execution providers compiled into it. A provider
 * listed here may still fail to start (the GPU build lists CUDA on a machine without a GPU).
 */
public record OnnxRuntimeInfo(String version, List<String> compiledProviders) {

  public OnnxRuntimeInfo {
    compiledProviders = List.copyOf(compiledProviders);
  }

  /** Loads ONNX Runtime (if not yet loaded) and reads its version and providers. */
  public static OnnxRuntimeInfo read() {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<String> providers =
        OrtEnvironment.getAvailableProviders().stream().map(OrtProvider::name).sorted().toList();
    return new OnnxRuntimeInfo(environment.getVersion(), providers);
  }
}
