/**
 * Every latent of a session by absolute index: a bounded RAM ring that spills to a memory-mapped file, with
 * each latent's camera, intrinsics and action. Owned by the generation thread.
 */
package org.worldexplorer.runtime.latent;
