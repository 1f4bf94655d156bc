package org.worldexplorer.runtime.session;

import ai.onnxruntime.OnnxTensor;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.DType;
import org.worldexplorer.runtime.bundle.GraphSpec;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.Manifest;

/**
 * The VAE decoders' cache of {@code Z} values, carried from one chunk's decoder call to the next. Small caches live
 * in two host buffers the decoders write in turn ({@link Mode#PINNED}); caches past what a Java direct buffer
 * holds stay in ONNX Runtime's memory, each call's output fed to the next call ({@link Mode#CHAINED}). Owns what
 * it holds; generation thread only.
 */
interface DecoderCache extends AutoCloseable {

  String FIRST = "vae_decoder_first";
  String LATER = "vae_decoder";

  /** How the cache crosses from one decoder call to the next. */
  enum Mode {
    /** Two float32 host buffers of {@code Z} values, pinned as cache_out and fed as cache_in in turn. */
    PINNED,
    /** ONNX Runtime allocates each cache_out; the session holds it and feeds it as the next cache_in. */
    CHAINED
  }

  /**
   * Chained when the decoders agree on the cache dtype and the pinned mode's host buffers ({@code Z} float32
   * values each) would take more than {@code chainAboveBytes}; pinned otherwise, which needs those buffers to fit
   * a direct buffer.
   *
   * @throws BundleException when the cache is too large for host buffers and the dtypes disagree, so it cannot
   *     be chained either
   */
  static Mode choose(Manifest manifest, long chainAboveBytes) throws BundleException {
    long z = manifest.vae().cacheSize();
    DType firstOut = dtype(manifest, FIRST, false, "cache_out");
    DType laterIn = dtype(manifest, LATER, true, "cache_in");
    DType laterOut = dtype(manifest, LATER, false, "cache_out");
    boolean agree = firstOut == laterIn && laterIn == laterOut;
    long hostBytes = z > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : z * Float.BYTES;
    if (agree && hostBytes > chainAboveBytes) {
      return Mode.CHAINED;
    }
    if (!NativeBuffers.fits(z, Float.BYTES)) {
      throw new BundleException("bundle '" + manifest.name() + "' cannot play: its decoder cache holds Z = " + z
          + " values (vae.cache_size), " + hostBytes + " bytes as float32, more than a Java direct buffer holds ("
          + NativeBuffers.MAX_BYTES + " bytes, 2 GB). Such a cache can only stay in ONNX Runtime's memory when "
          + FIRST + " cache_out, " + LATER + " cache_in and " + LATER + " cache_out share one dtype; this bundle"
          + " declares " + firstOut + ", " + laterIn + " and " + laterOut + ". Export the two decoders with the same"
          + " cache dtype.");
    }
    return Mode.PINNED;
  }

  private static DType dtype(Manifest manifest, String graph, boolean input, String tensor) {
    GraphSpec spec = manifest.graph(graph);
    return (input ? spec.input(tensor) : spec.output(tensor)).orElseThrow().dtype();
  }

  Mode mode();

  /** Values of the cache held in Java buffers (0 when chained: the cache never enters the host's buffers). */
  long hostValues();

  /**
   * Runs {@code vae_decoder_first} on {@code latents} into the pinned {@code frames} and keeps its cache_out.
   */
  void decodeFirst(OnnxTensor latents, OnnxTensor frames) throws GraphRunException;

  /** Runs {@code vae_decoder} on {@code latents} and the cache the last call wrote, into the pinned frames. */
  void decodeLater(OnnxTensor latents, OnnxTensor frames) throws GraphRunException;

  @Override
  void close();
}
