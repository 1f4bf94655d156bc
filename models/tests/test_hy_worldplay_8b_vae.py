"""The 8B VAE modules: parameter names and shapes against the fixture read from upstream, the pixel layouts of
upstream's rearranges written out index by index, causal caching, and the decoder graphs' cache and signatures."""

import unittest

import torch
import torch.nn.functional as F

from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.hy_worldplay_8b.vae import AutoencoderKLConv3D, VaeConfig
from worldexplorer_models.hy_worldplay_8b.vae_graphs import VaeDecoderFirstGraph, VaeDecoderLaterGraph, \
    VaeEncoderGraph, cache_size, signatures
from worldexplorer_models.hy_worldplay_8b.vae_layers import CausalConv3d, ConvCaches, Downsample, RMSNorm, \
    Upsample, depth_to_space, mean_channel_groups, repeat_channels, space_to_depth

# Upstream's structure at a small width: every level, block, attention and shortcut, quick to run.
NARROW = VaeConfig(latent_channels=4, block_out_channels=(8, 16, 32, 64, 64))


def _seeded(cfg, seed=0):
    model = AutoencoderKLConv3D(cfg).eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=g))
    return model


class FullSizeVaeTest(unittest.TestCase):
    def test_names_and_shapes_match_upstream_one_for_one(self):
        ours = shapes(build_on_meta(AutoencoderKLConv3D))
        upstream = read_fixture("hy_worldplay_8b_vae")
        self.assertEqual(sorted(set(upstream) - set(ours)), [], "upstream parameters our modules lack")
        self.assertEqual(sorted(set(ours) - set(upstream)), [], "parameters upstream does not have")
        self.assertEqual({n: (ours[n], upstream[n]) for n in upstream if ours[n] != upstream[n]}, {},
                         "shape (ours, upstream)")
        self.assertEqual(len(upstream), 218)

    def test_meta_build_allocates_nothing(self):
        model = build_on_meta(AutoencoderKLConv3D)
        self.assertTrue(all(p.is_meta for p in model.parameters()))
        count = sum(p.numel() for p in model.parameters())
        self.assertEqual(count, 389_324_544 + 871_309_571)

    def test_decoder_cache_has_upstreams_forty_slots(self):
        # upstream-spec.md 8: conv_in, 4 mid, 30 up-block, 4 upsample, conv_out. Each keeps 2 steps of its input:
        # 32 + 4 x 1024 + 7 x 1024 at the latent grid; 7 x 1024, 7 x 512, 7 x 256 and 7 x 128 at 2, 4, 8, 16 times.
        decoder = build_on_meta(AutoencoderKLConv3D).decoder
        self.assertEqual(len(decoder.causal_convs()), 40)
        per_pixel = 2 * (32 + 11 * 1024 + 7 * 1024 * 4 + 7 * 512 * 16 + 7 * 256 * 64 + 7 * 128 * 256)
        self.assertEqual(cache_size(decoder, 16, 16), per_pixel)
        self.assertEqual(cache_size(decoder, 848, 480), per_pixel * 53 * 30)
        self.assertEqual(cache_size(decoder, 848, 480), 1_403_575_680)

    def test_signatures_follow_the_bundle_format(self):
        specs = signatures(build_on_meta(AutoencoderKLConv3D).decoder, 848, 480)
        self.assertEqual(specs["vae_encoder"]["inputs"][0]["shape"], [1, 3, 480, 848])
        self.assertEqual(specs["vae_encoder"]["outputs"][0]["shape"], [1, 32, 30, 53])
        self.assertEqual([s["name"] for s in specs["vae_decoder"]["inputs"]], ["latents", "cache_in"])
        self.assertEqual(specs["vae_decoder_first"]["outputs"][0]["shape"], [1, 3, 13, 480, 848])
        self.assertEqual(specs["vae_decoder"]["outputs"][0]["shape"], [1, 3, 16, 480, 848])
        self.assertEqual(specs["vae_decoder"]["outputs"][1]["shape"], [1_403_575_680])
        self.assertTrue(all(s["dtype"] == "float32" for spec in specs.values()
                            for s in spec["inputs"] + spec["outputs"]))
        with self.assertRaisesRegex(ValueError, "multiples of 16"):
            signatures(build_on_meta(AutoencoderKLConv3D).decoder, 850, 480)

    def test_configuration_errors_say_what_is_wrong(self):
        with self.assertRaisesRegex(ValueError, "needs log2\\(16\\) \\+ 1 = 5 levels"):
            VaeConfig(block_out_channels=(128, 256, 512, 1024))


class LayoutTest(unittest.TestCase):
    """Upstream's einops patterns (V:411-572), checked element by element."""

    def setUp(self):
        self.x = torch.randn(1, 16, 2, 4, 6)

    def test_space_to_depth_is_b_c_f_hr2_wr3_to_b_r2r3c_f_h_w(self):
        y = space_to_depth(self.x)
        self.assertEqual(tuple(y.shape), (1, 64, 2, 2, 3))
        for r2 in range(2):
            for r3 in range(2):
                for ch in (0, 5, 15):
                    torch.testing.assert_close(y[0, (r2 * 2 + r3) * 16 + ch], self.x[0, ch, :, r2::2, r3::2],
                                               rtol=0, atol=0)

    def test_depth_to_space_is_b_r1r2r3c_f_h_w_to_b_c_fr1_hr2_wr3(self):
        y = depth_to_space(self.x, 2)
        self.assertEqual(tuple(y.shape), (1, 2, 4, 8, 12))
        for r1 in range(2):
            for r2 in range(2):
                for r3 in range(2):
                    for ch in range(2):
                        torch.testing.assert_close(y[0, ch, r1::2, r2::2, r3::2],
                                                   self.x[0, ((r1 * 2 + r2) * 2 + r3) * 2 + ch], rtol=0, atol=0)
        spatial = depth_to_space(self.x, 1)
        self.assertEqual(tuple(spatial.shape), (1, 4, 2, 8, 12))
        torch.testing.assert_close(spatial[0, 3, :, 1::2, 0::2], self.x[0, (1 * 2 + 0) * 4 + 3], rtol=0, atol=0)

    def test_repeat_and_group_mean(self):
        torch.testing.assert_close(repeat_channels(self.x, 3), self.x.repeat_interleave(3, dim=1), rtol=0, atol=0)
        torch.testing.assert_close(mean_channel_groups(self.x, 4)[0, 1], self.x[0, 4:8].mean(dim=0))

    def test_rms_norm_gives_unit_mean_square_over_channels(self):
        norm = RMSNorm(16)
        with torch.no_grad():
            norm.gamma.fill_(1.0)
        y = norm(self.x * 7.0)
        torch.testing.assert_close(y.pow(2).mean(dim=1), torch.ones(1, 2, 4, 6))


class CausalCacheTest(unittest.TestCase):
    def test_streaming_equals_one_pass_with_upstreams_replicate_padding(self):
        torch.manual_seed(1)
        conv = CausalConv3d(3, 5)
        video = torch.randn(1, 3, 7, 4, 5)
        whole = conv.conv(F.pad(video, (1, 1, 1, 1, 2, 0), mode="replicate"))
        caches = ConvCaches([None])
        parts = []
        for begin, end in ((0, 1), (1, 3), (3, 7)):
            caches.position = 0
            parts.append(conv(video[:, :, begin:end], caches))
        torch.testing.assert_close(torch.cat(parts, dim=2), whole)
        torch.testing.assert_close(caches.entries[0], video[:, :, 5:7])

    def test_first_latent_upsample_keeps_the_first_half_of_each_position_group(self):
        # V:496-502: rearrange h as (r2 r3 c) with c = 2 x out, keep c < out; the shortcut repeats x's
        # (r2 r3 c) layout by repeats / 2.
        torch.manual_seed(2)
        up = Upsample(8, 4, temporal=True)
        x = torch.randn(1, 8, 1, 3, 2)
        y = up(x, None, first=True)
        h = up.conv(x)
        self.assertEqual(tuple(y.shape), (1, 4, 1, 6, 4))
        repeats = 8 * 4 // 8
        for r2 in range(2):
            for r3 in range(2):
                for ch in range(4):
                    expected = h[0, (r2 * 2 + r3) * 8 + ch] + x[0, (r2 * 2 + r3) * 2 + ch // (repeats // 2)]
                    torch.testing.assert_close(y[0, ch, :, r2::2, r3::2], expected)

    def test_one_image_temporal_downsample_doubles_the_spatial_result(self):
        # V:413-425: a one-frame input skips the time fold; h is repeated along channels, the shortcut averages
        # group_size / 2 channels of x's space-to-depth.
        torch.manual_seed(3)
        down = Downsample(8, 16, temporal=True)
        x = torch.randn(1, 8, 1, 4, 6)
        y = down(x)
        h = space_to_depth(down.conv(x))
        s = space_to_depth(x)
        self.assertEqual(tuple(y.shape), (1, 16, 1, 2, 3))
        for ch in (0, 7, 8, 15):
            torch.testing.assert_close(y[0, ch], h[0, ch % 8] + s[0, 2 * ch: 2 * ch + 2].mean(dim=0))


class NarrowDecodeTest(unittest.TestCase):
    def test_chunked_graphs_equal_one_streaming_decode(self):
        model = _seeded(NARROW)
        g = torch.Generator().manual_seed(4)
        latents = torch.randn(1, 4, 8, 2, 3, generator=g)
        with torch.no_grad():
            first, cache = VaeDecoderFirstGraph(model.decoder)(latents[:, :, :4])
            later, cache_after = VaeDecoderLaterGraph(model.decoder)(latents[:, :, 4:], cache)
            caches = ConvCaches([None] * 40)
            frames = [model.decoder.step(latents[:, :, i: i + 1] / NARROW.scaling_factor, caches, first=i == 0)
                      for i in range(8)]
        self.assertEqual(tuple(first.shape), (1, 3, 13, 32, 48))
        self.assertEqual(tuple(later.shape), (1, 3, 16, 32, 48))
        torch.testing.assert_close(torch.cat([first, later], dim=2), torch.cat(frames, dim=2))
        flat = torch.cat([entry.reshape(-1) for entry in caches.entries])
        torch.testing.assert_close(cache_after, flat)
        self.assertEqual(cache.numel(), cache_size(model.decoder, 48, 32))

    def test_encoder_moments_and_scaled_mode(self):
        model = _seeded(NARROW)
        image = torch.rand(1, 3, 1, 32, 48) * 2 - 1
        with torch.no_grad():
            moments = model.encoder(image)
            latent = VaeEncoderGraph(model.encoder, NARROW)(image[:, :, 0])
        self.assertEqual(tuple(moments.shape), (1, 8, 1, 2, 3))
        self.assertTrue(torch.isfinite(moments).all())
        # The posterior's mode is the mean: the first half of the moments (diffusers' DiagonalGaussianDistribution).
        torch.testing.assert_close(latent, moments[:, :4, 0] * 1.03682)


if __name__ == "__main__":
    unittest.main()
