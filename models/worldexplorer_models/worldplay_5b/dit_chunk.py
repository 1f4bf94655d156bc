"""dit_chunk of the 5B (docs/bundle-format.md): the context pass over the selected latents, then the Euler steps of
one chunk, as upstream's rollout does them (wan/inference/pipeline_wan_w_mem_relative_rope.py, P below).

- A latent whose condition mask is 1 is replaced by the image latent and runs at context_timestep, in the context
  and in every step, and comes out unchanged (P:838, P:890-896, P:989-990).
- The context pass runs the selected clean latents at context_timestep over themselves only and keeps every block's
  keys and values (P:906-937, is_cache); the steps attend to [context, own] keys (P:958-972).
- Each step is x <- x + (sigma_next - sigma) v with timestep 1000 sigma (P:652-655, P:1003-1007); no CFG.
"""

import torch
from torch import nn

from .transformer import WorldPlay5BTransformer


def with_image(latents, image_latent, mask):
    """[1, C, T, h, w] with every latent whose mask [T] is 1 replaced by image_latent [1, C, h, w]."""
    m = mask[None, None, :, None, None]
    return latents * (1.0 - m) + image_latent[:, :, None] * m


class DitChunk5B(nn.Module):
    def __init__(self, transformer: WorldPlay5BTransformer):
        super().__init__()
        self.transformer = transformer

    def forward(self, context_latents, context_w2c, context_intrinsics, context_action, context_rope_t,
                context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action, chunk_rope_t,
                chunk_cond_mask, image_latent, sigmas, context_timestep, text_umt5, text_umt5_mask):
        t = self.transformer
        height, width = chunk_noise.shape[3], chunk_noise.shape[4]
        per_latent = (height // 2) * (width // 2)
        text_kvs = t.text_kvs(text_umt5[0], text_umt5_mask[0])

        # The context gets one extra latent in front, masked out of every key set: with no context ONNX Runtime
        # would get empty tensors to attend over. Its keys and values are dropped before the steps.
        latents = torch.cat([torch.zeros_like(chunk_noise[:, :, :1]), context_latents], dim=2)
        mask = torch.cat([torch.zeros_like(chunk_cond_mask[:1]), context_cond_mask])
        w2c = torch.cat([torch.eye(4)[None], context_w2c])
        intrinsics = torch.cat([chunk_intrinsics[:1], context_intrinsics])
        action = torch.cat([torch.zeros_like(chunk_action[:1]), context_action])
        rope_t = torch.cat([torch.zeros_like(chunk_rope_t[:1]), context_rope_t])
        count = latents.shape[2]
        keep = torch.cat([torch.zeros(per_latent), torch.ones(count * per_latent - per_latent)])
        _, context_kvs = t(with_image(latents, image_latent, mask), context_timestep.expand(count), action.float(),
                           t.positions(rope_t, w2c, intrinsics, height, width), text_kvs, keep=keep)
        context_kvs = [tuple(x[per_latent:] for x in kv) for kv in context_kvs]

        positions = t.positions(chunk_rope_t, chunk_w2c, chunk_intrinsics, height, width)
        action = chunk_action.float()
        x = chunk_noise
        for i in range(sigmas.shape[0] - 1):
            x = with_image(x, image_latent, chunk_cond_mask)
            timestep = chunk_cond_mask * context_timestep + (1.0 - chunk_cond_mask) * (sigmas[i] * 1000.0)
            velocity, _ = t(x, timestep, action, positions, text_kvs, context_kvs)
            x = x + (sigmas[i + 1] - sigmas[i]) * velocity
        return with_image(x, image_latent, chunk_cond_mask)
