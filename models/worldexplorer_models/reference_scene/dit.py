"""dit_chunk: predicts the clean chunk geometrically, then runs the flow-matching Euler steps toward it.

Per target latent: cast a ray per pixel, meet the scene proxy, and look the point up in the start image and in
the context views that cover most of the target (chosen greedily on a coarse grid). Sources blend by coverage,
the start image first, then the oldest context
(every warp resamples, so the view closest to its first generation is the sharpest). What no source sees is filled from the start image
continued as a mirrored panorama, with a faint texture made from the chunk's noise, so that a place first seen
in this chunk gets its own look and memory keeps it afterwards.
"""

import math

import torch
import torch.nn.functional as F

from . import effects, geometry
from .config import (FILL_TEXTURE_AMPLITUDE, LATENT_HEIGHT, LATENT_WIDTH, LATENTS_PER_CHUNK, PATCH, RECENCY_SHARPNESS,
                     SCORE_STRIDE, SELECTED_CONTEXT, START_IMAGE_RANK, STEPS, VIDEO_HEIGHT, VIDEO_WIDTH,
                     VIEW_CHANNELS)
from .latent_layout import images_to_latents, latents_to_images

INPUT_NAMES = ("context_latents", "context_w2c", "context_intrinsics", "context_action", "context_rope_t",
               "context_cond_mask", "chunk_noise", "chunk_w2c", "chunk_intrinsics", "chunk_action",
               "chunk_rope_t", "chunk_cond_mask", "image_latent", "sigmas", "context_timestep", "text_scene",
               "text_scene_mask")
NO_SOURCE_RANK = 100.0  # ranks after everything, so its blend weight underflows to 0


class DitChunk(torch.nn.Module):
    """The whole chunk in one call; inputs in the order of docs/bundle-format.md."""

    def __init__(self):
        super().__init__()
        coarse_u, coarse_v = geometry.pixel_centres(SCORE_STRIDE)
        fine_u, fine_v = geometry.pixel_centres(1)
        self.register_buffer("coarse_u", coarse_u, persistent=False)
        self.register_buffer("coarse_v", coarse_v, persistent=False)
        self.register_buffer("fine_u", fine_u, persistent=False)
        self.register_buffer("fine_v", fine_v, persistent=False)

    def forward(self, context_latents, context_w2c, context_intrinsics, context_action, context_rope_t,
                context_cond_mask, chunk_noise, chunk_w2c, chunk_intrinsics, chunk_action, chunk_rope_t,
                chunk_cond_mask, image_latent, sigmas, context_timestep, text_scene, text_scene_mask):
        clean = self.predict_clean(context_latents, context_w2c, context_intrinsics, context_rope_t,
                                   context_cond_mask, chunk_noise / sigmas[0], chunk_w2c, chunk_intrinsics,
                                   chunk_cond_mask, image_latent, text_scene, text_scene_mask)
        return euler_steps(chunk_noise, clean, sigmas)

    def predict_clean(self, context_latents, context_w2c, context_intrinsics, context_rope_t, context_cond_mask,
                      noise, chunk_w2c, chunk_intrinsics, chunk_cond_mask, image_latent, text_scene,
                      text_scene_mask):
        """The clean chunk latents [1, C, L, h, w] that the sampler converges to."""
        start = geometry.start_camera(context_w2c, context_cond_mask, chunk_w2c, chunk_cond_mask)
        start_k = geometry.start_intrinsics(context_intrinsics, context_cond_mask, chunk_intrinsics,
                                            chunk_cond_mask)
        to_start = geometry.rigid_inverse(start)
        target_c2w = geometry.rigid_inverse(torch.matmul(chunk_w2c, to_start))

        # Candidates: every context latent, plus one that never covers anything, so a choice always exists.
        identity = torch.eye(4)[None]
        cand_w2c = torch.cat([torch.matmul(context_w2c, to_start), identity], 0)
        cand_k = torch.cat([context_intrinsics, start_k[None]], 0)
        cand_rank = torch.cat([context_rope_t.to(torch.float32), torch.full((1,), NO_SOURCE_RANK)], 0)
        cand_valid = torch.cat([torch.ones_like(context_cond_mask), torch.zeros(1)], 0)
        chosen = self.choose_context(target_c2w, chunk_intrinsics, start_k, cand_w2c, cand_k, cand_rank,
                                     cand_valid)
        flat = chosen.reshape(-1)
        count = SELECTED_CONTEXT + 1
        frames = LATENTS_PER_CHUNK

        origins, dirs = geometry.cast_rays(target_c2w, chunk_intrinsics, self.fine_u, self.fine_v)
        depth, on_ground, points = geometry.hit_proxy(origins, dirs)
        src_w2c = torch.cat([identity[None].expand(frames, 1, 4, 4),
                             cand_w2c.index_select(0, flat).reshape(frames, SELECTED_CONTEXT, 4, 4)], 1)
        src_k = torch.cat([start_k[None, None].expand(frames, 1, 3, 3),
                           cand_k.index_select(0, flat).reshape(frames, SELECTED_CONTEXT, 3, 3)], 1)
        # The start image ranks well before every context latent, so it outweighs them all (by e^6 at least).
        src_rank = torch.cat([torch.full((frames, 1), -5.0),
                              cand_rank.index_select(0, flat).reshape(frames, SELECTED_CONTEXT)], 1)
        src_valid = torch.cat([torch.ones(frames, 1),
                               cand_valid.index_select(0, flat).reshape(frames, SELECTED_CONTEXT)], 1)
        u, v, z = geometry.project(points, src_w2c, src_k)
        cover = geometry.coverage(u, v, z) * src_valid[:, :, None]

        start_view = latents_to_images(image_latent[0, :VIEW_CHANNELS, None])
        cand_views = torch.cat([context_latents[0, :VIEW_CHANNELS], image_latent[0, :VIEW_CHANNELS, None]], 1)
        chosen_views = latents_to_images(cand_views.index_select(1, flat))
        sources = torch.cat([start_view[None].expand(frames, 1, 3, VIDEO_HEIGHT, VIDEO_WIDTH),
                             chosen_views.reshape(frames, SELECTED_CONTEXT, 3, VIDEO_HEIGHT, VIDEO_WIDTH)], 1)
        sampled = F.grid_sample(sources.reshape(frames * count, 3, VIDEO_HEIGHT, VIDEO_WIDTH),
                                geometry.to_grid(u.reshape(frames * count, -1), v.reshape(frames * count, -1),
                                                 VIDEO_HEIGHT, VIDEO_WIDTH),
                                mode="bilinear", padding_mode="border", align_corners=False)
        sampled = sampled.reshape(frames, count, 3, -1)
        weight = cover * torch.exp(-RECENCY_SHARPNESS * (src_rank + 1.0))[:, :, None]
        seen = (weight[:, :, None] * sampled).sum(1) / (weight.sum(1)[:, None] + 1e-30)
        seen_amount = 1.0 - torch.prod(1.0 - cover, dim=1)[:, None]

        fill = self.fill(points, start_k, start_view, noise)
        base = torch.clamp(seen_amount * seen + (1.0 - seen_amount) * fill, -1.0, 1.0)
        base = base.reshape(frames, 3, VIDEO_HEIGHT, VIDEO_WIDTH)

        pixel_noise = latents_to_images(noise[0, :VIEW_CHANNELS])
        per_pixel = (frames, 1, VIDEO_HEIGHT, VIDEO_WIDTH)
        styled = effects.stylise(base, effects.pooled_strengths(text_scene, text_scene_mask),
                                 depth.reshape(per_pixel), on_ground.to(torch.float32).reshape(per_pixel),
                                 -dirs[:, 1].reshape(per_pixel), pixel_noise)
        return torch.cat([images_to_latents(base), images_to_latents(styled)], 0)[None]

    def choose_context(self, target_c2w, target_k, start_k, cand_w2c, cand_k, cand_rank, cand_valid):
        """Per target latent, SELECTED_CONTEXT candidate indices [L, K], picked greedily on a coarse grid.

        Each pick covers the most of what the start image and earlier picks leave uncovered; older latents win
        ties, and the never-covering candidate is chosen only when nothing else exists.
        """
        origins, dirs = geometry.cast_rays(target_c2w, target_k, self.coarse_u, self.coarse_v)
        _, _, points = geometry.hit_proxy(origins, dirs)
        u, v, z = geometry.project(points, torch.eye(4)[None, None], start_k[None, None])
        covered = geometry.coverage(u, v, z)[:, 0]
        u, v, z = geometry.project(points, cand_w2c[None], cand_k[None])
        cand_cover = geometry.coverage(u, v, z) * cand_valid[None, :, None]
        age = torch.relu(START_IMAGE_RANK - cand_rank) * cand_valid
        preference = 1.0 + 0.05 * age
        tie_break = 0.001 * age - 10.0 * (1.0 - cand_valid)
        picks = []
        for _ in range(SELECTED_CONTEXT):
            gain = (cand_cover * (1.0 - covered[:, None])).mean(-1) * preference + tie_break
            pick = torch.argmax(gain, dim=1)
            picks.append(pick)
            picked = torch.gather(cand_cover, 1, pick[:, None, None].expand(-1, 1, cand_cover.shape[-1]))
            covered = covered + (1.0 - covered) * picked[:, 0]
        return torch.stack(picks, 1)

    def fill(self, points, start_k, start_view, noise):
        """Colour for points no source sees [L, 3, P]: the mirrored panorama of the start image plus texture.

        Above the image the stretched top row would streak, so it fades into a coarse copy of the image.
        """
        frames = points.shape[0]
        u, v, above = geometry.panorama_coords(points, start_k)
        grid = geometry.to_grid(u, v, VIDEO_HEIGHT, VIDEO_WIDTH)
        texture = noise[0, :VIEW_CHANNELS].sum((0, 1)) / math.sqrt(VIEW_CHANNELS * LATENTS_PER_CHUNK)
        coarse = torch.cat([F.avg_pool2d(start_view, PATCH), texture.reshape(1, 1, LATENT_HEIGHT, LATENT_WIDTH)], 1)
        source = torch.cat([start_view, F.interpolate(coarse, size=(VIDEO_HEIGHT, VIDEO_WIDTH), mode="bilinear",
                                                      align_corners=False)], 1)
        looked_up = F.grid_sample(source.expand(frames, 7, VIDEO_HEIGHT, VIDEO_WIDTH), grid, mode="bilinear",
                                  padding_mode="border", align_corners=False).reshape(frames, 7, -1)
        colour = looked_up[:, :3] + (looked_up[:, 3:6] - looked_up[:, :3]) * above[:, None]
        return colour + FILL_TEXTURE_AMPLITUDE * looked_up[:, 6:]


def euler_steps(noise, clean, sigmas):
    """STEPS unrolled Euler steps of the flow-matching ODE from noise at sigmas[0] toward a fixed clean latent.

    The velocity is the exact one toward `clean`, so at sigmas[STEPS] = 0 the state is `clean` and every earlier
    state is the interpolation sigma * noise + (1 - sigma) * clean.
    """
    x = noise
    for i in range(STEPS):
        velocity = (x - clean) / sigmas[i]
        x = x + (sigmas[i + 1] - sigmas[i]) * velocity
    return x
