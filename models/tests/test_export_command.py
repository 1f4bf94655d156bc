"""The export command line: what it refuses, and the manifests --manifest-only writes for both variants."""

import json
import pathlib
import subprocess
import sys
import tempfile
import unittest

from worldexplorer_models.hy_worldplay_8b import footprint

MODELS = pathlib.Path(__file__).resolve().parents[1]


def export(*args):
    return subprocess.run([sys.executable, "-m", "worldexplorer_models.export", *args], cwd=MODELS,
                          capture_output=True, text=True)


class ExportCommandTest(unittest.TestCase):
    def test_a_complete_bundle_needs_the_base_folder(self):
        result = export("hy-worldplay-8b", "--checkpoint", "ckpt", "--out", "out")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--base is required", result.stderr)
        self.assertIn("--dit-only", result.stderr)

    def test_a_base_folder_missing_parts_is_named_part_by_part(self):
        with tempfile.TemporaryDirectory() as tmp:
            (pathlib.Path(tmp) / "vae").mkdir()
            result = export("hy-worldplay-8b", "--checkpoint", "ckpt", "--base", tmp, "--out", f"{tmp}/out")
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("/vae (vae)", result.stderr)
        for part in ("text_encoder/llm (llm)", "Glyph-SDXL-v2 (byt5)", "vision_encoder/siglip (siglip)"):
            self.assertIn(part, result.stderr)

    def test_manifest_only_writes_each_variants_full_size_manifest(self):
        expected = {"hy-worldplay-8b": ({"dit_chunk", "vae_encoder", "vae_decoder_first", "vae_decoder",
                                         "text_encoder_llm", "text_encoder_byt5", "image_encoder"}, 848, 1590),
                    "worldplay-5b": ({"dit_chunk", "vae_encoder", "vae_decoder_first", "vae_decoder",
                                      "text_encoder_umt5"}, 1280, 880)}
        with tempfile.TemporaryDirectory() as tmp:
            for variant, (graphs, width, tokens) in expected.items():
                out = pathlib.Path(tmp) / variant
                result = export(variant, "--manifest-only", "--out", str(out))
                self.assertEqual(result.returncode, 0, result.stderr)
                manifest = json.loads((out / "manifest.json").read_text())
                self.assertEqual(set(manifest["graphs"]), graphs)
                self.assertEqual(manifest["video"]["width"], width)
                self.assertEqual(manifest["footprint"]["tokens_per_latent"], tokens)
                self.assertEqual(manifest["vae"]["cache_size"], manifest["graphs"]["vae_decoder"]["inputs"][1]["shape"][0])
                self.assertGreater(manifest["footprint"]["weight_bytes"], 10 ** 10)

    def test_the_estimate_follows_the_formula_of_the_bundle_format(self):
        record = footprint.footprint("bf16", 848, 480, 10 ** 9, 1000, "fp16")
        tokens = 1590 * (20 + 4) + record["text_tokens"]
        expected = 10 ** 9 + record["kv_bytes_per_token"] * tokens + max(record["activation_bytes"],
                                                                           record["decoder_bytes"])
        self.assertEqual(footprint.estimate_bytes(record, 20), expected)
        self.assertEqual(record["kv_bytes_per_token"], 54 * 4 * 2048 * 2)


if __name__ == "__main__":
    unittest.main()
