package org.worldexplorer.runtime.session;

import java.nio.FloatBuffer;

/**
 * What one chunk produced. The buffers belong to the session and are overwritten by the next chunk: read or copy
 * them before generating again.
 *
 * @param chunkIndex 0 for the first chunk
 * @param firstLatent absolute index of the chunk's first latent
 * @param latents the chunk's clean latents {@code [1, C, L, h, w]}
 * @param frames decoded frames {@code [1, 3, F, H, W]} in about [−1, 1]
 * @param frameCount F: 1 + 4 (L − 1) for the first chunk, 4 L later
 * @param selected context latents chosen by memory ({@code selected[0..selectedCount)}, ascending)
 * @param retrieved per selected latent, true when spatial retrieval (not recency) chose it
 * @param timings where the time went
 */
public record ChunkResult(int chunkIndex, int firstLatent, FloatBuffer latents, FloatBuffer frames, int frameCount,
    int[] selected, boolean[] retrieved, int selectedCount, StageTimings timings) {}
