"""dit_chunk: the context pass over the selected latents, then the Euler steps of one chunk (docs/bundle-format.md)."""

import torch
from torch import nn

from . import config as c
from .camera import per_token, prope_matrices, rope_tables
from .transformer import MASKED, WorldPlayTransformer, init_weights


class DitChunk(nn.Module):
    def __init__(self, transformer: WorldPlayTransformer = None):
        super().__init__()
        if transformer is None:
            transformer = WorldPlayTransformer()
            init_weights(transformer, c.WEIGHT_SEED)
        self.transformer = transformer

    def _tokens(self, latents, image_latent, cond_mask):
        """[1, C, T, h, w] latents -> [T*h*w, 2C+1]: latent, image condition where the mask is 1, the mask."""
        count = latents.shape[2]
        height, width = latents.shape[3], latents.shape[4]
        cond = image_latent[:, :, None] * cond_mask[None, None, :, None, None]
        mask = cond_mask[None, None, :, None, None].expand(1, 1, count, height, width)
        x = torch.cat([latents, cond, mask], dim=1)
        return x[0].permute(1, 2, 3, 0).reshape(count * height * width, x.shape[1])

    def _positions(self, w2c, intrinsics, rope_t, tokens_per_latent, height, width):
        t = self.transformer
        rope = rope_tables(rope_t, height, width, t.rope_dims, t.rope_theta)
        p, p_inv = prope_matrices(w2c, intrinsics)
        return rope, (per_token(p, tokens_per_latent), per_token(p_inv, tokens_per_latent))

    def forward(self, context_latents, context_w2c, context_intrinsics, context_action, context_rope_t,
                context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action, chunk_rope_t,
                chunk_cond_mask, image_latent, sigmas, context_timestep, text_llm, text_llm_mask):
        text_kvs, text_bias = self.transformer.forward_txt(text_llm[0], text_llm_mask[0])
        return self.rollout(text_kvs, text_bias, context_latents, context_w2c, context_intrinsics, context_action,
                            context_rope_t, context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action,
                            chunk_rope_t, chunk_cond_mask, image_latent, sigmas, context_timestep)

    def rollout(self, text_kvs, text_bias, context_latents, context_w2c, context_intrinsics, context_action,
                context_rope_t, context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action,
                chunk_rope_t, chunk_cond_mask, image_latent, sigmas, context_timestep):
        """The context pass and the Euler steps, given the text stream's per-block keys and values."""
        t = self.transformer
        height, width = chunk_noise.shape[3], chunk_noise.shape[4]
        per_latent = height * width

        # The context gets one extra, masked latent in front: with no context, ONNX Runtime could not reshape
        # the empty tensors. Its keys carry a logit bias whose exp is exactly 0, so no query ever sees it.
        context_latents = torch.cat([torch.zeros_like(chunk_noise[:, :, :1]), context_latents], dim=2)
        context_w2c = torch.cat([torch.eye(4)[None], context_w2c])
        context_intrinsics = torch.cat([chunk_intrinsics[:1], context_intrinsics])
        context_action = torch.cat([torch.zeros_like(chunk_action[:1]), context_action])
        context_rope_t = torch.cat([torch.zeros_like(chunk_rope_t[:1]), context_rope_t])
        context_cond_mask = torch.cat([torch.zeros_like(chunk_cond_mask[:1]), context_cond_mask])
        context_count = context_latents.shape[2]
        context_bias = torch.cat([torch.full((per_latent,), MASKED),
                                  torch.zeros(context_count * per_latent - per_latent)])

        rope, prope = self._positions(context_w2c, context_intrinsics, context_rope_t, per_latent, height, width)
        context_tokens = self._tokens(context_latents, image_latent, context_cond_mask)
        context_time = context_timestep.expand(context_count)
        _, context_kvs = t.forward_vision(context_tokens, context_time, context_action.float(), per_latent, rope,
                                          prope, text_kvs, torch.cat([text_bias, context_bias]))

        count = chunk_noise.shape[2]
        rope, prope = self._positions(chunk_w2c, chunk_intrinsics, chunk_rope_t, per_latent, height, width)
        action = chunk_action.float()
        key_bias = torch.cat([text_bias, context_bias, torch.zeros(count * per_latent)])
        x = chunk_noise
        for i in range(sigmas.shape[0] - 1):
            timestep = (sigmas[i] * 1000.0).expand(count)
            tokens = self._tokens(x, image_latent, chunk_cond_mask)
            velocity, _ = t.forward_vision(tokens, timestep, action, per_latent, rope, prope, text_kvs, key_bias,
                                           context_kvs)
            velocity = velocity.reshape(count, height, width, velocity.shape[1]).permute(3, 0, 1, 2)[None]
            x = x + (sigmas[i + 1] - sigmas[i]) * velocity
        return x
