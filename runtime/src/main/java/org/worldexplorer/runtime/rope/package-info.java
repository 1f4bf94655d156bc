/**
 * Temporally reframed RoPE positions: the host decides which temporal rows the DiT graph uses for the
 * selected context and the chunk being denoised.
 */
package org.worldexplorer.runtime.rope;
