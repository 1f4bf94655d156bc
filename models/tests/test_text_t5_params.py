"""The full-size T5 encoders (built on the meta device) against the parameter fixtures written from the published
configs and module definitions."""

import unittest

from tests.helpers import count
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.text_t5.config import BYT5_GLYPH, UMT5_XXL
from worldexplorer_models.text_t5.encoder import T5Encoder


class FixtureMatchTest(unittest.TestCase):
    def _assert_one_for_one(self, config, fixture):
        ours = shapes(build_on_meta(lambda: T5Encoder(config)))
        upstream = read_fixture(fixture)
        self.assertEqual(sorted(set(upstream) - set(ours)), [], "published parameters our module lacks")
        self.assertEqual(sorted(set(ours) - set(upstream)), [], "parameters the published encoder does not have")
        self.assertEqual({n: (ours[n], upstream[n]) for n in upstream if ours[n] != upstream[n]}, {},
                         "shape (ours, published)")

    def test_byt5_glyph_encoder(self):
        self._assert_one_for_one(BYT5_GLYPH, "byt5_small_encoder")

    def test_umt5_xxl_encoder(self):
        self._assert_one_for_one(UMT5_XXL, "umt5_xxl_encoder")

    def test_meta_build_allocates_nothing(self):
        model = build_on_meta(lambda: T5Encoder(UMT5_XXL))
        self.assertTrue(all(p.is_meta for p in model.parameters()))


class FixtureContentTest(unittest.TestCase):
    def test_only_umt5_has_a_bias_table_in_every_layer(self):
        byt5 = [n for n in read_fixture("byt5_small_encoder") if "relative_attention_bias" in n]
        umt5 = [n for n in read_fixture("umt5_xxl_encoder") if "relative_attention_bias" in n]
        self.assertEqual(byt5, ["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"])
        self.assertEqual(len(umt5), 24)

    def test_sizes_match_the_published_files(self):
        # Wan ships this encoder as models_t5_umt5-xxl-enc-bf16.pth, 11.4 GB: 5.68B parameters at 2 bytes.
        umt5 = sum(count(s) for s in read_fixture("umt5_xxl_encoder").values())
        self.assertAlmostEqual(umt5 * 2 / 1e9, 11.4, delta=0.1)
        # byT5-small has about 300M parameters with its 4 decoder layers and lm_head; the encoder alone, with the
        # 1510-token embedding, is 219M.
        byt5 = sum(count(s) for s in read_fixture("byt5_small_encoder").values())
        self.assertEqual(byt5, 1510 * 1472 + 32 * 6 + 12 * (4 * 384 * 1472 + 2 * 1472 + 3 * 3584 * 1472) + 1472)
        self.assertAlmostEqual(byt5 / 1e6, 219.3, delta=0.1)


if __name__ == "__main__":
    unittest.main()
