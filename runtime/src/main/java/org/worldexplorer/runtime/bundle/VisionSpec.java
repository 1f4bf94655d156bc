package org.worldexplorer.runtime.bundle;

/**
 * The optional image encoder that turns the start image into vision tokens.
 *
 * @param graph the encoder graph file, {@code image_encoder.onnx}
 * @param height input image height
 * @param width input image width
 * @param tokens vision tokens the encoder produces ({@code n_vision})
 * @param dim token width {@code d}
 */
public record VisionSpec(String graph, int height, int width, int tokens, int dim) {

  public VisionSpec {
    Require.plainFile(graph, "vision.graph");
    Require.atLeast(height, 1, "vision.height");
    Require.atLeast(width, 1, "vision.width");
    Require.atLeast(tokens, 1, "vision.tokens");
    Require.atLeast(dim, 1, "vision.dim");
  }
}
