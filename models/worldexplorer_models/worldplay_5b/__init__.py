"""HY-WorldPlay 5B (the Wan2.2-TI2V-5B backbone with WorldPlay's action embedding, PRoPE branch and reframed RoPE)
at full size, with upstream's parameter names, and its export to the bundle's dit_chunk graph."""
