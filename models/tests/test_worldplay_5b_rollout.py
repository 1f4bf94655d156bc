"""The 5B dit_chunk module against an independent twin of upstream's forward and rollout, at the tiny size.

The twin follows the structure of upstream's code as read (W = wan/models/dits/arwan_w_action_w_mem_relative_rope.py,
P = wan/inference/pipeline_wan_w_mem_relative_rope.py, hyvideo/prope/camera_rope.py): batch-first tensors, a
Conv3d patch embedding, a RoPE table over the whole window sliced by token offsets, per-latent adaLN vectors repeated
over tokens, a K/V cache holding [RoPE | PRoPE] halves, text zero-padded to 512 tokens, and the pipeline's in-place
updates. It shares no code with the exported modules, so the two agree only if both read upstream the same way.
"""

import math
import unittest

import torch
import torch.nn.functional as F

from worldexplorer_models.worldplay_5b import config as c
from worldexplorer_models.worldplay_5b import synthetic
from worldexplorer_models.worldplay_5b.dit_chunk import DitChunk5B
from worldexplorer_models.worldplay_5b.export import example_inputs, manifest_facts
from worldexplorer_models.worldplay_5b.transformer import WorldPlay5BTransformer

SIZE = (96, 64)
WINDOW = 32  # n_latent of the rollout: upstream's RoPE table covers every latent of the video (W:877-891)


def _sinusoid(t, dim=256):
    """diffusers get_timestep_embedding with flip_sin_to_cos=True, downscale_freq_shift=0."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    angles = t[:, None].float() * freqs[None]
    emb = torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)
    return torch.cat([emb[:, half:], emb[:, :half]], dim=-1)


class UpstreamTwin:
    def __init__(self, state, heads):
        self.p = state
        self.heads = heads
        self.dim = state["patch_embedding.weight"].shape[0]
        self.layers = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
        head_dim = self.dim // heads
        h_dim = 2 * (head_dim // 6)
        self.split = [head_dim - 2 * h_dim, h_dim, h_dim]
        cos, sin = [], []
        for d in self.split:
            freqs = 1.0 / (10000.0 ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
            angles = torch.outer(torch.arange(1024, dtype=torch.float64), freqs)
            cos.append(angles.cos().repeat_interleave(2, dim=1).float())
            sin.append(angles.sin().repeat_interleave(2, dim=1).float())
        self.freqs_cos, self.freqs_sin = torch.cat(cos, dim=1), torch.cat(sin, dim=1)

    def _linear(self, name, x):
        return F.linear(x, self.p[name + ".weight"], self.p[name + ".bias"])

    def _rms(self, name, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.p[name + ".weight"]

    def _embedder(self, name, x):
        return self._linear(name + ".linear_2", F.silu(self._linear(name + ".linear_1", x)))

    def _rope(self, frames, rows, cols):
        def table(freqs):
            t, h, w = freqs.split(self.split, dim=1)
            parts = [t[:frames].view(frames, 1, 1, -1).expand(frames, rows, cols, -1),
                     h[:rows].view(1, rows, 1, -1).expand(frames, rows, cols, -1),
                     w[:cols].view(1, 1, cols, -1).expand(frames, rows, cols, -1)]
            return torch.cat(parts, dim=-1).reshape(1, 1, frames * rows * cols, -1)
        return table(self.freqs_cos), table(self.freqs_sin)

    def forward(self, hidden, timestep, text, viewmats, ks, action, start, end, kv_cache, is_cache):
        frames, height, width = hidden.shape[2], hidden.shape[3], hidden.shape[4]
        rows, cols = height // 2, width // 2
        cos, sin = self._rope(WINDOW, rows, cols)
        rope = (cos[:, :, start:end], sin[:, :, start:end])
        x = F.conv3d(hidden, self.p["patch_embedding.weight"], self.p["patch_embedding.bias"], stride=(1, 2, 2))
        x = x.flatten(2).transpose(1, 2)
        temb = self._embedder("condition_embedder.time_embedder", _sinusoid(timestep)) \
            + self._embedder("condition_embedder.action_embedder", _sinusoid(action.squeeze(0)))
        proj = self._linear("condition_embedder.time_proj", F.silu(temb)).unflatten(1, (6, -1))
        txt = self._linear("condition_embedder.text_embedder.linear_2",
                           F.gelu(self._linear("condition_embedder.text_embedder.linear_1", text), approximate="tanh"))
        caches = []
        for i in range(self.layers):
            x, kv = self._block(i, x, txt, proj, rope, None if kv_cache is None else kv_cache[i], is_cache,
                                viewmats, ks)
            caches.append(kv)
        if is_cache:
            return caches
        tokens = x.shape[1] // temb.shape[0]
        shift, scale = (self.p["scale_shift_table"] + temb.unsqueeze(1)).chunk(2, dim=1)
        shift = shift.reshape(1, -1, self.dim).repeat_interleave(tokens, dim=1)
        scale = scale.reshape(1, -1, self.dim).repeat_interleave(tokens, dim=1)
        x = self._linear("proj_out", F.layer_norm(x, (self.dim,), eps=1e-6) * (1 + scale) + shift)
        x = x.reshape(1, frames, rows, cols, 1, 2, 2, -1).permute(0, 7, 1, 4, 2, 5, 3, 6)
        return x.flatten(6, 7).flatten(4, 5).flatten(2, 3)

    def _block(self, i, x, txt, proj, rope, cache, is_cache, viewmats, ks):
        pre = f"blocks.{i}."
        tokens = x.shape[1] // proj.shape[0]
        mods = [m.reshape(1, -1, self.dim).repeat_interleave(tokens, dim=1)
                for m in (self.p[pre + "scale_shift_table"] + proj).chunk(6, dim=1)]
        shift, scale, gate, c_shift, c_scale, c_gate = mods
        out, kv = self._self_attention(pre + "attn1.", F.layer_norm(x, (self.dim,), eps=1e-6) * (1 + scale) + shift,
                                       rope, cache, is_cache, viewmats, ks)
        x = x + out * gate
        normed = F.layer_norm(x, (self.dim,), self.p[pre + "norm2.weight"], self.p[pre + "norm2.bias"], eps=1e-6)
        x = x + self._cross_attention(pre + "attn2.", normed, txt)
        normed = F.layer_norm(x, (self.dim,), eps=1e-6) * (1 + c_scale) + c_shift
        ff = self._linear(pre + "ffn.net.2", F.gelu(self._linear(pre + "ffn.net.0.proj", normed), approximate="tanh"))
        return x + ff * c_gate, kv

    def _heads(self, x):
        return x.unflatten(2, (self.heads, -1)).transpose(1, 2)

    @staticmethod
    def _attend(q, k, v):
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
        return weights @ v

    def _self_attention(self, pre, h, rope, cache, is_cache, viewmats, ks):
        q = self._heads(self._rms(pre + "norm_q", self._linear(pre + "to_q", h)))
        k = self._heads(self._rms(pre + "norm_k", self._linear(pre + "to_k", h)))
        v = self._heads(self._linear(pre + "to_v", h))
        cos, sin = rope

        def rotate(x):
            pairs = x.view(*x.shape[:-1], -1, 2)
            x1, x2 = pairs[..., 0], pairs[..., 1]
            out = torch.empty_like(x)
            out[..., 0::2] = x1 * cos[..., 0::2] - x2 * sin[..., 1::2]
            out[..., 1::2] = x1 * sin[..., 1::2] + x2 * cos[..., 0::2]
            return out

        k_norm = torch.zeros_like(ks)
        k_norm[..., 0, 0], k_norm[..., 1, 1], k_norm[..., 2, 2] = ks[..., 0, 0], ks[..., 1, 1], 1.0
        lift = lambda m: F.pad(m, (0, 1, 0, 1)) + F.pad(torch.ones(*m.shape[:-2], 1, 1), (3, 0, 3, 0))
        projection = lift(k_norm) @ viewmats
        inverse = torch.zeros_like(viewmats)
        inverse[..., :3, :3] = viewmats[..., :3, :3].transpose(-1, -2)
        inverse[..., :3, 3] = -(inverse[..., :3, :3] @ viewmats[..., :3, 3:])[..., 0]
        inverse[..., 3, 3] = 1.0
        k_inverse = torch.zeros_like(k_norm)
        k_inverse[..., 0, 0], k_inverse[..., 1, 1], k_inverse[..., 2, 2] = 1 / k_norm[..., 0, 0], 1 / k_norm[..., 1, 1], 1
        projection_inverse = inverse @ lift(k_inverse)
        cameras = viewmats.shape[1]

        def tiled(feats, matrix):
            grouped = feats.reshape(1, self.heads, cameras, -1, feats.shape[-1] // 4, 4)
            return torch.einsum("bcij,bncpkj->bncpki", matrix, grouped).reshape(feats.shape)

        q_rope, k_rope, v_rope = rotate(q), rotate(k), v
        q_prope, k_prope, v_prope = (tiled(q, projection.transpose(-1, -2)), tiled(k, projection_inverse),
                                     tiled(v, projection_inverse))
        if cache is not None and cache["v"] is not None and not is_cache:
            cached_k_rope, cached_k_prope = cache["k"].chunk(2, dim=-1)
            cached_v_rope, cached_v_prope = cache["v"].chunk(2, dim=-1)
            k_rope, v_rope = torch.cat([cached_k_rope, k_rope], -2), torch.cat([cached_v_rope, v_rope], -2)
            k_prope, v_prope = torch.cat([cached_k_prope, k_prope], -2), torch.cat([cached_v_prope, v_prope], -2)
        kv = {"k": torch.cat([k_rope, k_prope], -1), "v": torch.cat([v_rope, v_prope], -1)} if is_cache else {}
        flat = lambda o: o.transpose(1, 2).flatten(2, 3)
        out_rope = flat(self._attend(q_rope, k_rope, v_rope))
        out_prope = flat(tiled(self._attend(q_prope, k_prope, v_prope), projection))
        return self._linear(pre + "to_out.0", out_rope) + self._linear(pre + "to_out_prope.0", out_prope), kv

    def _cross_attention(self, pre, h, txt):
        q = self._heads(self._rms(pre + "norm_q", self._linear(pre + "to_q", h)))
        k = self._heads(self._rms(pre + "norm_k", self._linear(pre + "to_k", txt)))
        v = self._heads(self._linear(pre + "to_v", txt))
        return self._linear(pre + "to_out.0", self._attend(q, k, v).transpose(1, 2).flatten(2, 3))


def twin_rollout(twin, args):
    """One chunk as upstream's pipeline runs it (P:833-1009, few_step), from dit_chunk's inputs: the host's selected
    context (latent 0 being the image) or chunk 0 with the image in its latent 0."""
    (ctx, ctx_w2c, ctx_k, ctx_action, _, ctx_mask, noise, w2c, ks, action, _, chunk_mask, image, sigmas, ctx_t,
     text, text_mask) = args
    real = int(text_mask.sum())
    padded = torch.zeros(1, c.TEXT_TOKENS, text.shape[2])     # P:149-156: cut at the length, zero-pad to 512
    padded[0, :real] = text[0, :real]
    timesteps = sigmas * 1000.0
    n, per_latent = ctx.shape[2], (noise.shape[3] // 2) * (noise.shape[4] // 2)
    latents = noise.clone()
    if n:
        ctx = ctx.clone()
        ctx[:, :, ctx_mask == 1] = image[:, :, None]
        cache = twin.forward(ctx, torch.full((n,), float(ctx_t)), padded, ctx_w2c[None], ctx_k[None],
                             ctx_action[None].float(), 0, n * per_latent, None, True)
        for i in range(len(timesteps) - 1):
            pred = twin.forward(latents, torch.full((4,), float(timesteps[i])), padded, w2c[None], ks[None],
                                action[None].float(), n * per_latent, (n + 4) * per_latent, cache, False)
            latents = latents + (sigmas[i + 1] - sigmas[i]) * pred
        return latents
    assert chunk_mask.tolist() == [1, 0, 0, 0]
    latents[:, :, :1] = image[:, :, None]
    empty = [{"k": None, "v": None}] * twin.layers
    for i in range(len(timesteps) - 1):
        timestep = torch.cat([torch.full((1,), float(ctx_t)), torch.full((3,), float(timesteps[i]))])
        pred = twin.forward(latents, timestep, padded, w2c[None], ks[None], action[None].float(), 0, 4 * per_latent,
                            empty, False)
        previous = latents + (sigmas[i + 1] - sigmas[i]) * pred
        latents[:, :, 1:] = previous[:, :, 1:]
    return latents


class RolloutTwinTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = synthetic.initialise(WorldPlay5BTransformer(**c.TINY), seed=3)
        cls.module = DitChunk5B(cls.model).eval()
        cls.twin = UpstreamTwin({k: v.detach() for k, v in cls.model.state_dict().items()}, c.TINY["heads"])

    def _inputs(self, **kwargs):
        return example_inputs(*SIZE, channels=c.TINY["channels"], text_dim=c.TINY["text_dim"], **kwargs)

    def _compare(self, args):
        with torch.no_grad():
            ours, theirs = self.module(*args), twin_rollout(self.twin, args)
        scale = theirs.abs().max().item()
        self.assertGreater(scale, 0.5)
        self.assertLess((ours - theirs).abs().max().item() / scale, 2e-5)
        return ours

    def test_chunk_with_context_matches_upstream(self):
        self._compare(self._inputs(context=5, text=6, seed=1))

    def test_chunk_zero_with_the_image_matches_upstream_and_keeps_the_image(self):
        args = self._inputs(context=0, text=3, seed=2, image_at_chunk_start=True)
        out = self._compare(args)
        self.assertTrue(torch.equal(out[:, :, 0], args[12]))

    def test_chunk_without_image_or_context(self):
        # A rollout without a start image (upstream's text-to-video path): every latent is denoised.
        args = self._inputs(context=0, text=3, seed=4)
        with torch.no_grad():
            ours = self.module(*args)
        self.assertFalse(torch.equal(ours[:, :, 0], args[12]))
        self.assertTrue(torch.isfinite(ours).all())

    def test_padding_tokens_count_as_absent(self):
        args = list(self._inputs(context=2, text=4, seed=5))
        longer = list(args)
        longer[15] = torch.cat([args[15], 3.0 * torch.ones(1, 2, args[15].shape[2])], dim=1)
        longer[16] = torch.cat([args[16], torch.zeros(1, 2)], dim=1)
        with torch.no_grad():
            base, padded = self.module(*args), self.module(*longer)
            longer[16] = torch.ones_like(longer[16])
            attended = self.module(*longer)
        self.assertTrue(torch.allclose(base, padded, atol=1e-6))
        self.assertGreater((base - attended).abs().max().item(), 1e-3)

    def test_cameras_actions_and_context_positions_reach_the_output(self):
        args = self._inputs(context=3, text=4, seed=6)
        with torch.no_grad():
            base = self.module(*args)
            for index, change in ((7, lambda w: w.flip(0)), (9, lambda a: (a + 9) % 81), (4, lambda t: t + 1)):
                changed = list(args)
                changed[index] = change(args[index])
                self.assertGreater((self.module(*changed) - base).abs().max().item(), 1e-4, f"input {index}")


class ManifestFactsTest(unittest.TestCase):
    def test_sigmas_are_shift_eight_and_sizes_those_of_upstream(self):
        facts = manifest_facts()
        u = [1 - i / 4 for i in range(5)]
        shifted = [8 * x / (1 + 7 * x) for x in u]
        for listed, computed in zip(facts["sampler"]["sigmas"], shifted):
            self.assertAlmostEqual(listed, computed, places=6)
        self.assertEqual(facts["sampler"]["shift"], 8.0)
        self.assertEqual(facts["latent"], {"channels": 48, "height": 44, "width": 80, "latents_per_chunk": 4,
                                           "temporal_compression": 4, "spatial_compression": 16})
        self.assertEqual(facts["video"]["fps"], 16)
        self.assertEqual(facts["memory"]["context_latents"], 16)
        self.assertEqual(facts["memory"]["temporal_latents"], 12)
        self.assertEqual(facts["memory"]["always_included"], [])
        self.assertEqual(facts["camera"], {"fx": 0.5051, "fy": 0.8979})
        stream = facts["text"]["streams"][0]
        self.assertEqual((stream["name"], stream["dim"], stream["max_tokens"]), ("umt5", 4096, 512))
        self.assertIsNone(facts["vision"])


if __name__ == "__main__":
    unittest.main()
