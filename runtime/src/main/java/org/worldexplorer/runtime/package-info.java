/**
 * The model side of worldexplorer: actions, cameras, memory retrieval, RoPE reframing, sampling, bundles and
 * ONNX Runtime. It owns no window and must never import {@code org.lwjgl}; the {@code app} module wires it to
 * the renderer.
 */
package org.worldexplorer.runtime;
