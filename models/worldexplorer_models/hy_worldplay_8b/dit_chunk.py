"""dit_chunk of the 8B: the tiny rollout with the 8B's three text inputs (LLM, byT5 glyphs, SigLIP tokens)."""

from ..reference_tiny.dit_chunk import DitChunk
from .transformer import WorldPlay8BTransformer


class DitChunk8B(DitChunk):
    def __init__(self, transformer: WorldPlay8BTransformer):
        super().__init__(transformer)

    def forward(self, context_latents, context_w2c, context_intrinsics, context_action, context_rope_t,
                context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action, chunk_rope_t,
                chunk_cond_mask, image_latent, sigmas, context_timestep, text_llm, text_llm_mask, text_byt5,
                text_byt5_mask, vision_tokens):
        text_kvs, text_bias = self.transformer.forward_txt_8b(text_llm[0], text_llm_mask[0], text_byt5[0],
                                                              text_byt5_mask[0], vision_tokens[0])
        return self.rollout(text_kvs, text_bias, context_latents, context_w2c, context_intrinsics, context_action,
                            context_rope_t, context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action,
                            chunk_rope_t, chunk_cond_mask, image_latent, sigmas, context_timestep)
