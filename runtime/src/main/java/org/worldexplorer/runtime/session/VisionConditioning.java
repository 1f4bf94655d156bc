package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Map;
import org.worldexplorer.runtime.bundle.BundleContract;
import org.worldexplorer.runtime.bundle.DType;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.TensorSpec;
import org.worldexplorer.runtime.bundle.VisionSpec;

/**
 * The DiT's {@code vision_tokens} for a whole session: the start image as prepared for {@code vae_encoder},
 * resized (bilinear) to the image encoder's size, encoded once. Owns its buffers and tensors; generation thread
 * only.
 */
final class VisionConditioning implements AutoCloseable {

  static final String PIXELS = "pixels";
  static final String TOKENS = "vision_tokens";

  private final BilinearResize resize;
  /** The encoder's input and the tokens, in float32; the tensors over them may be half precision. */
  private final FloatBuffer pixels;
  private final FloatBuffer tokens;
  private final BoundaryTensor pixelsTensor;
  private final BoundaryTensor encoderTokens;
  private final BoundaryTensor ditTokens;

  /** Allocates the encoder's input and output, and the DiT's input, for start images of the video size. */
  VisionConditioning(Manifest manifest, OrtEnvironment env) throws OrtException {
    VisionSpec spec = manifest.vision();
    resize = new BilinearResize(manifest.video().width(), manifest.video().height(), spec.width(), spec.height());
    long[] tokenShape = {1, spec.tokens(), spec.dim()};
    pixels = NativeBuffers.floats(3L * spec.height() * spec.width());
    tokens = NativeBuffers.floats((long) spec.tokens() * spec.dim());
    BoundaryTensor in = null;
    BoundaryTensor out = null;
    try {
      in = BoundaryTensor.create(env, dtype(manifest, BundleContract.IMAGE_ENCODER, PIXELS, true), pixels,
          new long[] {1, 3, spec.height(), spec.width()});
      out = BoundaryTensor.create(env, dtype(manifest, BundleContract.IMAGE_ENCODER, TOKENS, false), tokens,
          tokenShape);
      ditTokens = BoundaryTensor.create(env, dtype(manifest, BundleContract.DIT_CHUNK, TOKENS, true), tokens,
          tokenShape);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(in);
      closeQuietly(out);
      throw e;
    }
    pixelsTensor = in;
    encoderTokens = out;
  }

  private static DType dtype(Manifest manifest, String graph, String tensor, boolean input) {
    var spec = manifest.graph(graph);
    return (input ? spec.input(tensor) : spec.output(tensor)).map(TensorSpec::dtype).orElseThrow(
        () -> new IllegalStateException("the manifest's " + graph + " has no " + tensor + " (the loader checks it)"));
  }

  /**
   * Runs the image encoder on the start image.
   *
   * @param startImage the {@code vae_encoder} input: planar RGB in [−1, 1] at the video size, from index 0
   */
  void encode(FloatBuffer startImage, ModelBundle bundle) throws GraphRunException {
    resize.resize(startImage, pixels, 3);
    pixelsTensor.toGraph();
    bundle.run(BundleContract.IMAGE_ENCODER, Map.of(PIXELS, pixelsTensor.tensor()),
        Map.of(TOKENS, encoderTokens.tensor()));
    // Both tensors lie over the same float32 tokens; only differing half types need the way through them.
    encoderTokens.fromGraph();
    ditTokens.toGraph();
  }

  /** Adds {@code vision_tokens} to the DiT's inputs. */
  void addInputs(Map<String, OnnxTensor> inputs) {
    inputs.put(TOKENS, ditTokens.tensor());
  }

  /** Copies the encoder's input (for checks); {@code out} holds {@code 3 × height × width} floats. */
  void copyPixels(float[] out) {
    pixels.get(0, out);
  }

  /** Copies the vision tokens the DiT reads (for checks); {@code out} holds {@code tokens × dim} floats. */
  void copyTokens(float[] out) {
    tokens.get(0, out);
  }

  @Override
  public void close() {
    pixelsTensor.close();
    encoderTokens.close();
    ditTokens.close();
  }

  private static void closeQuietly(BoundaryTensor tensor) {
    if (tensor != null) {
      tensor.close();
    }
  }
}
