"""The Wan2.2 VAE of the 5B WorldPlay model (diffusers AutoencoderKLWan as Wan2.2-TI2V-5B configures it) as
PyTorch modules with the published checkpoint's parameter names, and its export to the bundle's VAE graphs.

Files: config.py (sizes, latents_mean/std), layers.py / resample.py / encoder.py / decoder.py / autoencoder.py
(the network, under diffusers' names; models/fixtures/wan22_vae.params lists them from upstream's definitions),
graphs.py (vae_encoder, vae_decoder_first, vae_decoder), signatures.py, weights.py (checkpoint check and load),
precision.py (fp16/bf16), export.py (export_wan_vae and its command line), synthetic.py and parity.py (test
weights and the golden files of the Java parity test).

What the graphs do, following HY-WorldPlay's 5B pipeline (wan/inference/helper.py, pipeline_wan_w_mem_relative_
rope.py):
- vae_encoder: image [1, 3, H, W] in [-1, 1] -> (posterior mean - latents_mean) / latents_std, [1, 48, H/16, W/16].
  Upstream normalises a posterior *sample*; the bundle is deterministic and takes the mean.
- vae_decoder_first / vae_decoder: latents * latents_std + latents_mean, then one latent after another through
  post_quant_conv and the decoder, frames unpatchified and clamped to [-1, 1]. The video's first latent gives one
  frame (upstream's first_chunk), every other latent four.
- The cache: every temporal conv of the decoder keeps the last two time steps of its input (32 of them, in the
  order upstream's feat_idx visits them; Decoder.cache_shapes). They cross the graph boundary flattened and
  concatenated in that order: Z = 2 * h * w * 228,400 floats for a latent grid of h x w, 1,607,936,000 floats
  (6.0 GiB as float32) at 1280x704.
"""
