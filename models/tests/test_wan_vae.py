"""The Wan2.2 VAE modules: parameter names and shapes against the fixture written from upstream's definitions, the
numbers against an independent reading of upstream (tests/wan_vae_reference.py), and the cache carried between
the decoder graphs. A narrow configuration (same structure, few channels) keeps them fast."""

import math
import unittest

import torch

from tests import wan_vae_reference as reference
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.wan_vae.autoencoder import AutoencoderKLWan
from worldexplorer_models.wan_vae.config import WanVaeConfig
from worldexplorer_models.wan_vae.graphs import VaeDecoderFirst, VaeDecoderLater, VaeEncoder, cache_size
from worldexplorer_models.wan_vae.layers import Caches


def narrow_vae(seed=0):
    """The full structure at base_dim 8 / decoder_base_dim 16 / z_dim 4, with seeded weights that keep
    activations of order one (so the frames are not all clamped)."""
    config = WanVaeConfig(base_dim=8, decoder_base_dim=16, z_dim=4, latents_mean=(0.3, -0.1, 0.05, 0.2),
                          latents_std=(0.5, 1.2, 0.8, 0.6))
    vae = AutoencoderKLWan(config).eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in vae.named_parameters():
            if name.endswith("gamma"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p[0].numel() ** 0.5)
    return vae


class FixtureTest(unittest.TestCase):
    def test_names_and_shapes_match_upstream_one_for_one(self):
        ours = shapes(build_on_meta(AutoencoderKLWan))
        upstream = read_fixture("wan22_vae")
        self.assertEqual(sorted(set(upstream) - set(ours)), [], "upstream parameters our modules lack")
        self.assertEqual(sorted(set(ours) - set(upstream)), [], "parameters upstream does not have")
        self.assertEqual({n: (ours[n], upstream[n]) for n in upstream if ours[n] != upstream[n]}, {},
                         "shape (ours, upstream)")

    def test_fixture_totals(self):
        fixture = read_fixture("wan22_vae")
        self.assertEqual(len(fixture), 196)
        total = sum(math.prod(s) for s in fixture.values())
        decoder = sum(math.prod(s) for n, s in fixture.items() if n.startswith(("decoder.", "post_quant")))
        self.assertEqual(total, 704_688_668)     # 2.82 GB as float32, the size of the published file
        self.assertEqual(decoder, 555_051_580)   # over 2 GiB as float32: the decoder graphs need external data

    def test_meta_build_allocates_nothing(self):
        self.assertTrue(all(p.is_meta for p in build_on_meta(AutoencoderKLWan).parameters()))


class ConfigTest(unittest.TestCase):
    def test_published_configuration(self):
        config = WanVaeConfig()
        self.assertEqual(config.encoder_dims, [160, 160, 320, 640, 640])
        self.assertEqual(config.decoder_dims, [1024, 1024, 1024, 512, 256])
        self.assertEqual(config.temperal_upsample, (True, True, False))
        self.assertEqual((config.io_channels, config.spatial_compression, config.temporal_compression), (12, 16, 4))
        self.assertEqual(config.latent_size(1280, 704), (80, 44))

    def test_bad_sizes_are_refused(self):
        with self.assertRaisesRegex(ValueError, "1280x700 must be a positive multiple of 16"):
            WanVaeConfig().latent_size(1280, 700)
        with self.assertRaisesRegex(ValueError, "need 48 values each"):
            WanVaeConfig(latents_mean=(0.0,) * 16)

    def test_cache_size_at_1280x704(self):
        decoder = build_on_meta(AutoencoderKLWan).decoder
        # latent 80 x 44 = 3520 pixels; two steps per cache: conv_in 48 channels, mid 4 x 1024, up block 0
        # 7 x 1024 (6 convs + time_conv), at 4x the pixels up block 1 7 x 1024, at 16x up block 2 1024 + 5 x 512,
        # at 64x up block 3 512 + 5 x 256, and conv_out 256
        pixels = 3520
        expected = 2 * pixels * (48 + 4 * 1024 + 7 * 1024 + 4 * 7 * 1024 + 16 * (1024 + 5 * 512)
                                 + 64 * (512 + 5 * 256 + 256))
        self.assertEqual(cache_size(decoder, 1280, 704, WanVaeConfig()), expected)
        self.assertEqual(expected, 1_607_936_000)  # 6.0 GiB as float32


class AgainstUpstreamReadingTest(unittest.TestCase):
    """Our modules against tests/wan_vae_reference.py, which follows upstream's control flow literally."""

    @classmethod
    def setUpClass(cls):
        cls.vae = narrow_vae()
        g = torch.Generator().manual_seed(1)
        cls.latents = torch.randn(1, 4, 8, 2, 3, generator=g)      # normalised, as the DiT makes them
        cls.image = (2 * torch.rand(1, 3, 32, 48, generator=g) - 1)

    def raw(self, latents):
        config = self.vae.config
        std = torch.tensor(config.latents_std).reshape(1, -1, 1, 1, 1)
        mean = torch.tensor(config.latents_mean).reshape(1, -1, 1, 1, 1)
        return latents * std + mean

    def test_encoder_gives_the_normalised_posterior_mean(self):
        with torch.no_grad():
            ours = VaeEncoder(self.vae)(self.image)
            mean = reference.encode_mean(self.vae, self.image)
        config = self.vae.config
        expected = (mean - torch.tensor(config.latents_mean).reshape(1, -1, 1, 1)) / torch.tensor(
            config.latents_std).reshape(1, -1, 1, 1)
        self.assertEqual(tuple(ours.shape), (1, 4, 2, 3))
        self.assertGreater(expected.abs().max().item(), 0.1)
        torch.testing.assert_close(ours, expected, rtol=0, atol=1e-5)

    def test_two_decoder_calls_reproduce_upstream_streaming(self):
        with torch.no_grad():
            first, cache = VaeDecoderFirst(self.vae)(self.latents[:, :, :4])
            later, cache_2 = VaeDecoderLater(self.vae)(self.latents[:, :, 4:], cache)
            expected_first = reference.decode_streaming(self.vae, self.raw(self.latents[:, :, :4]), True)
            expected_later = reference.decode_streaming(self.vae, self.raw(self.latents[:, :, 4:]), False)
        self.assertEqual(tuple(first.shape), (1, 3, 13, 32, 48))
        self.assertEqual(tuple(later.shape), (1, 3, 16, 32, 48))
        inside = (expected_later.abs() < 0.999).float().mean().item()
        self.assertGreater(inside, 0.3, "most frames should not be clamped, or the comparison says little")
        torch.testing.assert_close(first, expected_first, rtol=0, atol=2e-5)
        torch.testing.assert_close(later, expected_later, rtol=0, atol=2e-5)
        z = cache_size(self.vae.decoder, 48, 32, self.vae.config)
        self.assertEqual((cache.numel(), cache_2.numel()), (z, z))

    def test_the_cache_matters(self):
        with torch.no_grad():
            _, cache = VaeDecoderFirst(self.vae)(self.latents[:, :, :4])
            later = VaeDecoderLater(self.vae)(self.latents[:, :, 4:], cache)[0]
            fresh = VaeDecoderLater(self.vae)(self.latents[:, :, 4:], torch.zeros_like(cache))[0]
        self.assertGreater((later - fresh).abs().max().item(), 0.05)

    def test_two_calls_equal_one_pass_over_eight_latents(self):
        with torch.no_grad():
            first, cache = VaeDecoderFirst(self.vae)(self.latents[:, :, :4])
            later, _ = VaeDecoderLater(self.vae)(self.latents[:, :, 4:], cache)
            caches = Caches([None] * len(self.vae.decoder.cache_shapes(2, 3)))
            one_pass = self.vae.decode(self.raw(self.latents), caches, first=True)
        self.assertEqual(tuple(one_pass.shape), (1, 3, 29, 32, 48))
        torch.testing.assert_close(torch.cat([first, later], dim=2), one_pass, rtol=0, atol=2e-5)

    def test_cache_shapes_are_the_caches_a_step_leaves(self):
        decoder = self.vae.decoder
        caches = Caches([None] * len(decoder.cache_shapes(2, 3)))
        with torch.no_grad():
            self.vae.decode(self.raw(self.latents[:, :, :2]), caches, first=True)
        self.assertEqual(len(caches.tensors), 32)
        self.assertEqual([tuple(t.shape) for t in caches.tensors], decoder.cache_shapes(2, 3))


if __name__ == "__main__":
    unittest.main()
