"""reference-tiny: the HY-WorldPlay 8B architecture at a tiny size, with seeded random weights, fp32 throughout.

The DiT is a HunyuanVideo-1.5-style double-stream transformer (adaLN-modulated image and text streams, QK
RMSNorm, text joined into self-attention as extra keys and values) with WorldPlay's additions: the discrete
action embedded like a timestep and added to it per latent, and the PRoPE camera branch in every block. The VAE
is causal in time (temporal compression 4, spatial 16) and its decoder carries a cache of every causal
convolution across chunks. Module and parameter names follow upstream's, so the same classes at the full
configuration can load the published state dict (see models/README.md for what differs).
"""
