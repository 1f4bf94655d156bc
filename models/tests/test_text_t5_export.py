"""The T5 text-encoder export: synthetic checkpoints in the published layouts, exported graphs run in numpy against
PyTorch, fp16/bf16 structure, and the messages for a wrong checkpoint."""

import pathlib
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto

from tests.helpers import QUIET
from worldexplorer_models import safetensors_io
from worldexplorer_models.checkpoint_keys import CheckpointMismatch
from worldexplorer_models.hy_worldplay_8b.params import read_fixture, shapes
from worldexplorer_models.text_t5 import graph_numpy, synthetic
from worldexplorer_models.text_t5.config import BYT5_GLYPH, T5Config
from worldexplorer_models.text_t5.encoder import T5Encoder, TextEncoderGraph
from worldexplorer_models.text_t5.export import export_config, export_t5_encoder, load_encoder

TINY = {"byt5": T5Config(vocab_size=1510, d_model=32, d_kv=8, d_ff=48, num_heads=4, num_layers=2,
                         bias_per_layer=False, zero_padding=False),
        "umt5": T5Config(vocab_size=500, d_model=40, d_kv=8, d_ff=56, num_heads=5, num_layers=2,
                         bias_per_layer=True, zero_padding=True)}


def _write(variant, folder, weights, **layout):
    if variant == "byt5":
        path = pathlib.Path(folder) / "byt5_model.pt"
        synthetic.write_glyph_pt(path, weights, **layout)
        return path
    path = pathlib.Path(folder) / "text_encoder"
    synthetic.write_hf_folder(path, weights, **layout)
    return path


def _reference(config, weights):
    model = T5Encoder(config)
    model.load_state_dict(weights)
    return TextEncoderGraph(model).eval()


def _tokens(config, n, real, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, config.vocab_size, (1, n), generator=g)
    mask = (torch.arange(n) < real).to(torch.int64)[None]
    return ids * mask, mask


def _relative_error(graph, module, ids, mask):
    got = graph_numpy.run(graph, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})["embeds"]
    with torch.no_grad():
        expected = module(ids, mask).numpy()
    return np.abs(got - expected).max() / np.abs(expected).max(), got


class TinyExportTest(unittest.TestCase):
    """Both structures at a small width: checkpoint file -> graph -> numpy run, against the PyTorch module."""

    def _export_and_compare(self, variant, **layout):
        config = TINY[variant]
        weights = synthetic.tensors(shapes(T5Encoder(config)), config, seed=5)
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = _write(variant, tmp, weights, **layout)
            entry, dim = export_config(checkpoint, pathlib.Path(tmp) / "bundle", "glyph", variant, config, "fp32",
                                       64, QUIET)
            graph = onnx.load(str(pathlib.Path(tmp) / "bundle" / entry["file"]))
        self.assertEqual(dim, config.d_model)
        self.assertEqual(entry, {
            "file": "text_encoder_glyph.onnx",
            "inputs": [{"name": "input_ids", "dtype": "int64", "shape": [1, "n_tokens"]},
                       {"name": "attention_mask", "dtype": "int64", "shape": [1, "n_tokens"]}],
            "outputs": [{"name": "embeds", "dtype": "float32", "shape": [1, "n_tokens", config.d_model]}]})
        self.assertEqual([i.name for i in graph.graph.input], ["input_ids", "attention_mask"])
        dims = [d.dim_param or d.dim_value for d in graph.graph.output[0].type.tensor_type.shape.dim]
        self.assertEqual(dims, [1, "n_tokens", config.d_model])
        module = _reference(config, weights)
        # Lengths other than the traced 16, past the 128-step bucket range too.
        for n, real in ((1, 1), (7, 5), (150, 140)):
            error, got = _relative_error(graph, module, *_tokens(config, n, real, seed=n))
            self.assertLess(error, 1e-5, f"{variant} n={n}")
            self.assertEqual(got.shape, (1, n, config.d_model))
        return graph

    def test_byt5_from_a_glyph_pt(self):
        self._export_and_compare("byt5")

    def test_byt5_from_a_training_checkpoint(self):
        self._export_and_compare("byt5", training_layout=True)

    def test_the_glyph_folder_stands_for_its_checkpoint(self):
        config = TINY["byt5"]
        weights = synthetic.tensors(shapes(T5Encoder(config)), config, seed=10)
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp) / "Glyph-SDXL-v2"
            (folder / "checkpoints").mkdir(parents=True)
            synthetic.write_glyph_pt(folder / "checkpoints" / "byt5_model.pt", weights)
            loaded = load_encoder(folder, config, "byt5", QUIET)
        self.assertTrue(torch.equal(loaded.shared.weight, weights["shared.weight"]))
        self.assertTrue(torch.equal(loaded.encoder.final_layer_norm.weight, weights["encoder.final_layer_norm.weight"]))

    def test_umt5_from_hugging_face_shards(self):
        graph = self._export_and_compare("umt5")
        names = {t.name for t in graph.graph.initializer}
        self.assertEqual(sum("relative_attention_bias" in n for n in names), 2)

    def test_low_precision_graphs_keep_a_float32_boundary(self):
        config = TINY["umt5"]
        weights = synthetic.tensors(shapes(T5Encoder(config)), config, seed=6)
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = _write("umt5", tmp, weights)
            for dtype, code in (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16)):
                entry, _ = export_config(checkpoint, pathlib.Path(tmp) / dtype, "text", "umt5", config, dtype, 512,
                                         QUIET)
                graph = onnx.load(str(pathlib.Path(tmp) / dtype / entry["file"]))
                onnx.checker.check_model(graph, full_check=True)
                onnx.shape_inference.infer_shapes(graph, check_type=True, strict_mode=True)
                floats = {t.data_type for t in graph.graph.initializer} - {TensorProto.INT64}
                self.assertEqual(floats, {code}, dtype)
                self.assertEqual([i.type.tensor_type.elem_type for i in graph.graph.input],
                                 [TensorProto.INT64, TensorProto.INT64])
                self.assertEqual(graph.graph.output[0].type.tensor_type.elem_type, TensorProto.FLOAT)
                self.assertEqual(graph.graph.node[-1].op_type, "Cast")
                ops = {n.op_type for n in graph.graph.node}
                self.assertIn("Softmax", ops)
                if dtype == "fp16":
                    # numpy computes in fp16 too: close to fp32, and a prompt of padding only stays finite.
                    error, _ = _relative_error(graph, _reference(config, weights), *_tokens(config, 30, 22, seed=1))
                    self.assertLess(error, 5e-3)
                    zeros = np.zeros((1, 9), np.int64)
                    out = graph_numpy.run(graph, {"input_ids": zeros, "attention_mask": zeros})["embeds"]
                    self.assertTrue(np.isfinite(out).all())


class FullWidthNarrowTest(unittest.TestCase):
    """byT5 at its published width, first two blocks (block 1 reuses block 0's bias), from a checkpoint whose
    names and shapes come from the fixture, not from our module."""

    def test_two_blocks_match_pytorch(self):
        published = {n: s for n, s in read_fixture("byt5_small_encoder").items()
                     if not n.startswith("encoder.block.") or int(n.split(".")[2]) < 2}
        weights = synthetic.tensors(published, BYT5_GLYPH, seed=7)
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = pathlib.Path(tmp) / "byt5_model.pt"
            synthetic.write_glyph_pt(checkpoint, weights)
            entry, dim = export_t5_encoder(checkpoint, pathlib.Path(tmp) / "bundle", "glyph", "byt5", "fp32", 256,
                                           QUIET, layers=2)
            path = pathlib.Path(tmp) / "bundle" / entry["file"]
            size = path.stat().st_size
            graph = onnx.load(str(path))
        self.assertEqual(dim, 1472)
        weight_bytes = 4 * sum(int(np.prod(s)) for s in published.values())
        block = 4 * 384 * 1472 + 3 * 3584 * 1472 + 2 * 1472
        self.assertEqual(weight_bytes, 4 * (1510 * 1472 + 32 * 6 + 2 * block + 1472))
        self.assertTrue(weight_bytes < size < weight_bytes + 100_000, size)
        module = _reference(BYT5_GLYPH.with_layers(2), weights)
        error, _ = _relative_error(graph, module, *_tokens(BYT5_GLYPH, 40, 31, seed=8))
        self.assertLess(error, 1e-5)


class WrongCheckpointTest(unittest.TestCase):
    def test_google_byt5_small_is_named_as_such(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "model.safetensors"
            safetensors_io.write(path, {"shared.weight": torch.zeros(384, 1472),
                                        "decoder.final_layer_norm.weight": torch.zeros(1472)})
            with self.assertRaises(CheckpointMismatch) as caught:
                load_encoder(path, BYT5_GLYPH.with_layers(1), "byt5", QUIET)
        message = str(caught.exception)
        self.assertIn("the checkpoint does not fit the byT5 glyph encoder", message)
        self.assertIn("shared.weight: checkpoint [384, 1472], model [1510, 1472]", message)
        self.assertIn("missing key(s):\n    encoder.block.0.layer.0.SelfAttention.k.weight", message)
        self.assertNotIn("decoder.final_layer_norm", message)
        self.assertIn("pass Glyph-SDXL-v2/checkpoints/byt5_model.pt", message)
        self.assertIn("google/byt5-small's 384-token embedding", message)

    def test_a_byt5_file_given_for_umt5_lists_every_difference(self):
        config = TINY["byt5"]
        weights = synthetic.tensors(shapes(T5Encoder(config)), config, seed=9)
        with tempfile.TemporaryDirectory() as tmp:
            path = _write("byt5", tmp, weights)
            with self.assertRaises(CheckpointMismatch) as caught:
                export_t5_encoder(path, pathlib.Path(tmp) / "out", "text", "umt5", "fp32", 512, QUIET, layers=1)
            self.assertFalse((pathlib.Path(tmp) / "out" / "text_encoder_text.onnx").exists())
        message = str(caught.exception)
        self.assertIn("UMT5-XXL text encoder of Wan2.2-TI2V-5B", message)
        self.assertIn("shared.weight: checkpoint [1510, 32], model [256384, 4096]", message)
        self.assertIn("encoder.block.0.layer.0.SelfAttention.q.weight: checkpoint [32, 32], model [4096, 4096]",
                      message)
        self.assertIn("pass the text_encoder folder of Wan-AI/Wan2.2-TI2V-5B-Diffusers", message)

    def test_a_pickle_that_is_not_a_state_dict_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "byt5_model.pt"
            torch.save(torch.zeros(3), path)
            with self.assertRaisesRegex(ValueError, "holds a Tensor, not a state dict"):
                load_encoder(path, BYT5_GLYPH.with_layers(1), "byt5", QUIET)

    def test_arguments_outside_the_contract_are_refused(self):
        cases = [(dict(variant="t5"), "variant 't5' is not one of byt5, umt5"),
                 (dict(dtype="int8"), "dtype 'int8' is not one of fp32, fp16, bf16"),
                 (dict(stream="Glyph"), "stream name 'Glyph' must match"),
                 (dict(max_tokens=257), "max_tokens 257 must be between 1 and 256"),
                 (dict(layers=0), "layers 0 must be between 1 and 12")]
        for change, message in cases:
            args = dict(checkpoint_path="unused", out_dir="unused", stream="glyph", variant="byt5", dtype="fp32",
                        max_tokens=256, log=QUIET, layers=None)
            args.update(change)
            with self.assertRaisesRegex(ValueError, message):
                export_t5_encoder(**args)


if __name__ == "__main__":
    unittest.main()
