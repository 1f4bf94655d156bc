"""The SigLIP vision encoder: parameter names against the fixture written from the published checkpoint, the
checkpoint check, the image processor settings, and the module against an independent transformers-style
forward."""

import json
import pathlib
import tempfile
import unittest

import torch

from tests.helpers import ShapesOnly, count
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.vision_siglip import synthetic, weights
from worldexplorer_models.vision_siglip.config import (REDUX_PREPROCESSING, SO400M_PATCH14_384, Preprocessing,
                                                       read_preprocessing)
from worldexplorer_models.vision_siglip.model import SiglipVisionEncoder
from worldexplorer_models.vision_siglip.weights import CheckpointMismatch

TINY = SO400M_PATCH14_384.with_(hidden=24, layers=2, heads=3, intermediate=40, patch=4, image=14)


class FixtureTest(unittest.TestCase):
    fixture = read_fixture("siglip_so400m")

    def test_fixture_totals_the_published_file(self):
        # image_encoder/model.safetensors is 857 MB of bf16: the parameters with the pooling head.
        total = sum(count(s) for s in self.fixture.values())
        self.assertEqual(total, 428_225_600)
        self.assertAlmostEqual(2 * total / 1e6, 856.5, delta=0.5)
        self.assertEqual(SO400M_PATCH14_384.tokens, 729)

    def test_published_layout_is_the_fixture(self):
        self.assertEqual(synthetic.published_shapes(SO400M_PATCH14_384), self.fixture)

    def test_module_names_and_shapes_match_the_checkpoint_one_for_one(self):
        ours = {"vision_model." + n: s
                for n, s in shapes(build_on_meta(lambda: SiglipVisionEncoder(SO400M_PATCH14_384))).items()}
        head = {n for n in self.fixture if n.startswith("vision_model.head.")}
        self.assertEqual(len(head), 11)
        self.assertEqual(sorted(set(self.fixture) - set(ours)), sorted(head))
        self.assertEqual(sorted(set(ours) - set(self.fixture)), [])
        self.assertEqual({n: s for n, s in ours.items() if s != self.fixture[n]}, {})
        self.assertEqual(sum(count(s) for s in ours.values()), 412_987_248)


class CheckpointCheckTest(unittest.TestCase):
    def test_pooling_head_and_later_layers_are_skipped(self):
        fake = ShapesOnly(synthetic.published_shapes(SO400M_PATCH14_384))
        self.assertEqual(weights.check(build_on_meta(lambda: SiglipVisionEncoder(SO400M_PATCH14_384)), fake), 11)
        narrow = build_on_meta(lambda: SiglipVisionEncoder(SO400M_PATCH14_384, 1))
        self.assertEqual(weights.check(narrow, fake), 11 + 26 * 16)

    def test_a_language_model_checkpoint_is_refused_with_what_to_pass(self):
        model = build_on_meta(lambda: SiglipVisionEncoder(SO400M_PATCH14_384, 1))
        with self.assertRaises(CheckpointMismatch) as caught:
            weights.check(model, ShapesOnly({"model.embed_tokens.weight": (152064, 3584)}))
        message = str(caught.exception)
        self.assertIn("21 missing key(s):", message)
        self.assertIn("vision_model.embeddings.patch_embedding.weight", message)
        self.assertIn("vision_encoder/siglip", message)

    def test_mis_shaped_tensors_are_named(self):
        published = synthetic.published_shapes(SO400M_PATCH14_384, layers=1)
        published["vision_model.embeddings.position_embedding.weight"] = (576, 1152)
        model = build_on_meta(lambda: SiglipVisionEncoder(SO400M_PATCH14_384, 1))
        with self.assertRaisesRegex(CheckpointMismatch, "position_embedding.weight: checkpoint \\[576, 1152\\], "
                                                        "model \\[729, 1152\\]"):
            weights.check(model, ShapesOnly(published))


class PreprocessingTest(unittest.TestCase):
    def test_redux_normalisation_is_the_bundles_pixel_scaling(self):
        scale, shift = REDUX_PREPROCESSING.from_bundle_pixels()
        for a, b in zip(scale, shift):
            self.assertAlmostEqual(a, 1.0, places=12)
            self.assertAlmostEqual(b, 0.0, places=12)
        self.assertTrue(SiglipVisionEncoder(TINY, 1, scale, shift).identity_input)

    def test_preprocessor_config_is_read(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "preprocessor_config.json"
            path.write_text(json.dumps(synthetic.preprocessor_json(384)))
            self.assertEqual(read_preprocessing(path), REDUX_PREPROCESSING)
            path.write_text(json.dumps(dict(synthetic.preprocessor_json(384), size={"height": 384, "width": 512})))
            with self.assertRaisesRegex(ValueError, "resize 384 x 512 \\(the graph takes a square image\\)"):
                read_preprocessing(path)

    def test_other_normalisation_is_folded_into_the_input(self):
        processing = Preprocessing(size=TINY.image, mean=(0.48, 0.46, 0.41), std=(0.27, 0.26, 0.28))
        folded = SiglipVisionEncoder(TINY, None, *processing.from_bundle_pixels()).eval()
        plain = SiglipVisionEncoder(TINY).eval()
        plain.load_state_dict(folded.state_dict())
        eight_bit = torch.randint(0, 256, (1, 3, TINY.image, TINY.image)).float()
        mean, std = torch.tensor(processing.mean)[:, None, None], torch.tensor(processing.std)[:, None, None]
        with torch.no_grad():
            ours = folded(eight_bit / 127.5 - 1)
            processor = plain((eight_bit / 255 - mean) / std)
        torch.testing.assert_close(ours, processor, atol=1e-5, rtol=1e-5)


def transformers_style_forward(tensors, config, layers, pixels):
    """SiglipVisionModel's last_hidden_state written the way transformers computes it, reading the checkpoint's
    tensors by name."""
    t = lambda name: tensors["vision_model." + name].float()
    x = torch.nn.functional.conv2d(pixels, t("embeddings.patch_embedding.weight"), t("embeddings.patch_embedding.bias"),
                                   stride=config.patch)
    x = x.flatten(2).transpose(1, 2)
    x = x + torch.nn.functional.embedding(torch.arange(config.tokens)[None], t("embeddings.position_embedding.weight"))
    b, n, h, heads = x.shape[0], x.shape[1], config.hidden, config.heads
    ln = lambda y, name: torch.nn.functional.layer_norm(y, (h,), t(name + ".weight"), t(name + ".bias"), config.eps)
    linear = lambda y, name: y @ t(name + ".weight").T + t(name + ".bias")
    for i in range(layers):
        p = f"encoder.layers.{i}."
        y = ln(x, p + "layer_norm1")
        split = lambda z: z.view(b, n, heads, h // heads).transpose(1, 2)
        q, k, v = (split(linear(y, p + f"self_attn.{m}_proj")) for m in "qkv")
        attn = torch.softmax(q @ k.transpose(2, 3) * (h // heads) ** -0.5, dim=-1, dtype=torch.float32) @ v
        x = x + linear(attn.transpose(1, 2).reshape(b, n, h), p + "self_attn.out_proj")
        y = ln(x, p + "layer_norm2")
        y = torch.nn.functional.gelu(linear(y, p + "mlp.fc1"), approximate="tanh")
        x = x + linear(y, p + "mlp.fc2")
    return ln(x, "post_layernorm")


class ModelTest(unittest.TestCase):
    tensors = synthetic.tensors(TINY, seed=4)

    def model(self, layers=None):
        model = SiglipVisionEncoder(TINY, layers)
        model.load_state_dict({n: self.tensors["vision_model." + n] for n, _ in model.named_parameters()})
        return model.eval()

    def test_matches_the_transformers_style_forward(self):
        pixels = torch.rand(2, 3, TINY.image, TINY.image, generator=torch.Generator().manual_seed(1)) * 2 - 1
        for layers in (1, 2):
            with torch.no_grad():
                ours = self.model(layers)(pixels)
            reference = transformers_style_forward(self.tensors, TINY, layers, pixels)
            self.assertEqual(list(ours.shape), [2, 9, TINY.hidden])
            torch.testing.assert_close(ours, reference, atol=1e-5, rtol=1e-5)

    def test_the_last_rows_and_columns_the_patches_do_not_cover_change_nothing(self):
        # 14 = 3 x 4 + 2, as 384 = 27 x 14 + 6: the patch convolution never reads the last 2 (6) pixels.
        pixels = torch.rand(1, 3, TINY.image, TINY.image, generator=torch.Generator().manual_seed(2))
        edited = pixels.clone()
        edited[..., -2:, :] = 0.0
        edited[..., :, -2:] = 0.0
        model = self.model()
        with torch.no_grad():
            torch.testing.assert_close(model(pixels), model(edited), atol=0, rtol=0)
            edited[..., 0, 0] = -1.0
            self.assertGreater((model(pixels) - model(edited)).abs().max().item(), 1e-4)


if __name__ == "__main__":
    unittest.main()
