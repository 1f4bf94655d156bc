"""The full-size 8B modules against the parameter fixture written from upstream's module definitions."""

import unittest

from tests.helpers import count
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.hy_worldplay_8b.transformer import WorldPlay8BTransformer


class FixtureReaderTest(unittest.TestCase):
    def test_block_ranges_expand_to_every_index(self):
        fixture = read_fixture("hy_worldplay_8b_dit")
        blocks = {name.split(".")[1] for name in fixture if name.startswith("double_blocks.")}
        self.assertEqual(blocks, {str(i) for i in range(54)})
        self.assertEqual(fixture["double_blocks.53.img_attn_prope_proj.weight"], (2048, 2048))

    def test_fixture_totals_the_published_size(self):
        # Upstream quotes about 8.3B parameters for the backbone; WorldPlay adds action_in and 54 prope_proj.
        total = sum(count(s) for s in read_fixture("hy_worldplay_8b_dit").values())
        backbone = total - 54 * (2048 * 2048 + 2048) - (256 * 2048 + 2048 + 2048 * 2048 + 2048)
        self.assertAlmostEqual(backbone / 1e9, 8.3, delta=0.1)


class FullSizeDitTest(unittest.TestCase):
    def test_names_and_shapes_match_upstream_one_for_one(self):
        ours = shapes(build_on_meta(WorldPlay8BTransformer))
        upstream = read_fixture("hy_worldplay_8b_dit")
        missing = sorted(set(upstream) - set(ours))
        unexpected = sorted(set(ours) - set(upstream))
        self.assertEqual(missing, [], "upstream parameters our modules lack")
        self.assertEqual(unexpected, [], "parameters upstream does not have")
        wrong = {n: (ours[n], upstream[n]) for n in upstream if ours[n] != upstream[n]}
        self.assertEqual(wrong, {}, "shape (ours, upstream)")

    def test_meta_build_allocates_nothing(self):
        model = build_on_meta(WorldPlay8BTransformer)
        self.assertTrue(all(p.is_meta for p in model.parameters()))


if __name__ == "__main__":
    unittest.main()
