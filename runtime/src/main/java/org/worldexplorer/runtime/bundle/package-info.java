/**
 * Model bundles (docs/bundle-format.md): the typed, validated {@link org.worldexplorer.runtime.bundle.Manifest},
 * the format's graph signatures in code ({@link org.worldexplorer.runtime.bundle.BundleContract}), the load
 * checks, the execution provider choice, and {@link org.worldexplorer.runtime.bundle.ModelBundle}, which owns one
 * ONNX Runtime session per graph.
 *
 * <p>Load order: folder and manifest (check 1), files (check 2), manifest against the format (check 3), each
 * graph opened and compared with the manifest (check 4); on CUDA, the memory estimate
 * ({@link org.worldexplorer.runtime.bundle.FootprintEstimate} or the graph sizes) is compared with the GPU's free
 * memory ({@link org.worldexplorer.runtime.bundle.GpuFitCheck}) before any graph opens. Loading stops at the first
 * failure with a {@link org.worldexplorer.runtime.bundle.BundleException}; {@code ModelBundle.validate} runs every
 * check for {@code doctor}. Failures during a run are {@link org.worldexplorer.runtime.bundle.GraphRunException}s.
 *
 * <p>Owns: manifest parsing (Jackson), ONNX Runtime sessions and session options. Must not import
 * {@code org.lwjgl}. The {@code OrtEnvironment} is the process singleton and is never closed here.
 */
package org.worldexplorer.runtime.bundle;
