"""The full-size 5B modules against the parameter fixture written from upstream's module definitions."""

import math
import unittest

from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.worldplay_5b import config
from worldexplorer_models.worldplay_5b.transformer import WorldPlay5BTransformer

FIXTURE = "worldplay_5b_dit"


class FixtureTest(unittest.TestCase):
    def test_thirty_blocks_with_upstream_shapes(self):
        fixture = read_fixture(FIXTURE)
        blocks = {name.split(".")[1] for name in fixture if name.startswith("blocks.")}
        self.assertEqual(blocks, {str(i) for i in range(30)})
        self.assertEqual(fixture["patch_embedding.weight"], (3072, 48, 1, 2, 2))
        self.assertEqual(fixture["condition_embedder.time_proj.weight"], (6 * 3072, 3072))
        self.assertEqual(fixture["blocks.29.attn1.to_out_prope.0.weight"], (3072, 3072))
        self.assertEqual(fixture["blocks.0.attn1.norm_q.weight"], (3072,))   # RMSNorm across all 24 heads
        self.assertEqual(fixture["proj_out.weight"], (48 * 4, 3072))
        self.assertNotIn("blocks.0.attn2.to_out_prope.0.weight", fixture)   # PRoPE only in the self-attention

    def test_backbone_totals_the_published_five_billion(self):
        # Wan2.2-TI2V-5B is published as 5B; WorldPlay adds the action embedder and 30 PRoPE output projections.
        total = sum(math.prod(s) for s in read_fixture(FIXTURE).values())
        added = 30 * (3072 * 3072 + 3072) + (256 * 3072 + 3072 + 3072 * 3072 + 3072)
        self.assertAlmostEqual((total - added) / 1e9, 5.0, delta=0.05)
        self.assertEqual(total, 5_293_225_152)


class FullSizeDitTest(unittest.TestCase):
    def test_names_and_shapes_match_upstream_one_for_one(self):
        ours = shapes(build_on_meta(WorldPlay5BTransformer))
        upstream = read_fixture(FIXTURE)
        self.assertEqual(sorted(set(upstream) - set(ours)), [], "upstream parameters our modules lack")
        self.assertEqual(sorted(set(ours) - set(upstream)), [], "parameters upstream does not have")
        wrong = {n: (ours[n], upstream[n]) for n in upstream if ours[n] != upstream[n]}
        self.assertEqual(wrong, {}, "shape (ours, upstream)")

    def test_meta_build_allocates_nothing(self):
        model = build_on_meta(WorldPlay5BTransformer)
        self.assertTrue(all(p.is_meta for p in model.parameters()))

    def test_rope_dims_split_each_head_as_upstream(self):
        self.assertEqual(config.rope_dims(128), (44, 42, 42))
        self.assertEqual(config.rope_dims(32), (12, 10, 10))
        with self.assertRaisesRegex(ValueError, "head dim 64"):
            config.rope_dims(64)


if __name__ == "__main__":
    unittest.main()
