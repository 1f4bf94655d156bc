package org.worldexplorer.runtime.bundle;

/**
 * What the exporter knows about a bundle's accelerator memory (bundle format: {@code footprint}). The runtime
 * turns it into an estimate for a context size and checks that against the GPU before loading.
 *
 * @param dtype {@code fp32}, {@code fp16} or {@code bf16}: the precision inside the graphs
 * @param weightBytes bytes of every graph's weights that sit on the accelerator at once
 * @param kvBytesPerToken keys and values of one token over all DiT layers (and CFG branches)
 * @param tokensPerLatent DiT tokens per latent, after patching
 * @param textTokens the most text and vision tokens the DiT attends to
 * @param activationBytes peak working memory of one {@code dit_chunk} call beyond weights and keys/values
 * @param decoderBytes peak working memory of one decoder call, cache included
 */
public record Footprint(String dtype, long weightBytes, long kvBytesPerToken, long tokensPerLatent, long textTokens,
    long activationBytes, long decoderBytes) {

  public Footprint {
    Require.present(dtype, "footprint.dtype");
    if (!dtype.equals("fp32") && !dtype.equals("fp16") && !dtype.equals("bf16")) {
      throw new IllegalArgumentException("footprint.dtype must be \"fp32\", \"fp16\" or \"bf16\", got \"" + dtype
          + "\"");
    }
    notNegative(weightBytes, "footprint.weight_bytes");
    notNegative(kvBytesPerToken, "footprint.kv_bytes_per_token");
    notNegative(tokensPerLatent, "footprint.tokens_per_latent");
    notNegative(textTokens, "footprint.text_tokens");
    notNegative(activationBytes, "footprint.activation_bytes");
    notNegative(decoderBytes, "footprint.decoder_bytes");
  }

  /** Keys and values of the DiT with {@code contextLatents} context latents and one chunk of new latents. */
  public long kvBytes(int contextLatents, int latentsPerChunk) {
    long tokens = Math.addExact(Math.multiplyExact(tokensPerLatent, (long) contextLatents + latentsPerChunk),
        textTokens);
    return Math.multiplyExact(kvBytesPerToken, tokens);
  }

  /** The larger of the DiT's and the decoder's working memory: they never run at the same time. */
  public long workingBytes() {
    return Math.max(activationBytes, decoderBytes);
  }

  /**
   * The bundle format's estimate: {@code weight_bytes + kv_bytes_per_token × (tokens_per_latent × (n + L) +
   * text_tokens) + max(activation_bytes, decoder_bytes)}.
   *
   * @throws ArithmeticException when the sum does not fit in a long
   */
  public long estimateBytes(int contextLatents, int latentsPerChunk) {
    if (contextLatents < 0 || latentsPerChunk < 1) {
      throw new IllegalArgumentException("the estimate needs a context of 0 or more latents and a chunk of 1 or"
          + " more, got " + contextLatents + " and " + latentsPerChunk);
    }
    return Math.addExact(Math.addExact(weightBytes, kvBytes(contextLatents, latentsPerChunk)), workingBytes());
  }

  private static void notNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be 0 or more, got " + value);
    }
  }
}
