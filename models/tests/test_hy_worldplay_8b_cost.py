"""The cost model behind docs/performance.md, against values worked out by hand."""

import unittest

from worldexplorer_models.hy_worldplay_8b import cost


class CostTest(unittest.TestCase):
    def test_linear_macs_per_token_per_block(self):
        # 2048*12288 (adaLN) + 5*2048^2 (q, k, v, proj, prope_proj) + 2*2048*8192 (MLP)
        self.assertEqual(cost.linear_macs_per_vision_token(), 25_165_824 + 20_971_520 + 33_554_432)

    def test_decoder_has_the_40_cached_convs_of_upstream(self):
        convs = [conv for conv in cost._decoder_convs(30, 53) if conv[2] == 27]
        self.assertEqual(len(convs), 40)
        self.assertEqual(convs[0], (32, 1024, 27, 1590))
        # conv_out: 128 channels in, 3 out, 4 frames of 480x848
        self.assertEqual(convs[-1], (128, 3, 27, 4 * 480 * 848))

    def test_context_kv_of_twenty_latents(self):
        memory = cost.memory_bytes(1590, 20, 1000, 0, 30, 53)
        self.assertEqual(memory["context K/V (4 per block: RoPE K, V, PRoPE K, V)"], 54 * 4 * 21 * 1590 * 2048 * 2)


if __name__ == "__main__":
    unittest.main()


class VaeFixtureTest(unittest.TestCase):
    """The VAE fixture (read from upstream's VAE modules) against the cost model's decoder, which was written from
    the spec; the two are independent descriptions of the same network."""

    def test_decoder_convs_of_the_fixture_are_those_the_cost_model_counts(self):
        from worldexplorer_models.hy_worldplay_8b.params import read_fixture
        fixture = read_fixture("hy_worldplay_8b_vae")
        causal = sorted((shape[1], shape[0]) for name, shape in fixture.items()
                        if name.startswith("decoder.") and name.endswith(".conv.weight") and shape[2:] == (3, 3, 3))
        self.assertEqual(len(causal), 40, "upstream-spec.md section 8: 40 cached causal convs in the decoder")
        counted = sorted((i, o) for i, o, k, _ in cost._decoder_convs(30, 53) if k == 27)
        self.assertEqual(causal, counted)

    def test_encoder_ends_in_mean_and_log_variance_of_32_channels(self):
        from worldexplorer_models.hy_worldplay_8b.params import read_fixture
        fixture = read_fixture("hy_worldplay_8b_vae")
        self.assertEqual(fixture["encoder.conv_out.conv.weight"], (64, 1024, 3, 3, 3))
        self.assertEqual(fixture["decoder.conv_in.conv.weight"], (1024, 32, 3, 3, 3))
