/**
 * The screen side of worldexplorer: window, input, frame pacing and textures. It must never import
 * {@code ai.onnxruntime}; it takes pixels and sizes, not model values.
 */
package org.worldexplorer.renderer;
