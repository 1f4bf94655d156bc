"""The 8B exporter: safetensors I/O, the checkpoint key check, fp16/bf16 conversion, and (slow) a full-width,
one-block export of a synthetic checkpoint through the command line."""

import pathlib
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto, numpy_helper

from tests.helpers import LOW_PRECISIONS, SLOW, ShapesOnly, check_lowered, run_module
from worldexplorer_models import onnx_precision, safetensors_io
from worldexplorer_models.hy_worldplay_8b import synthetic
from worldexplorer_models.hy_worldplay_8b.export import write_graph
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta
from worldexplorer_models.hy_worldplay_8b.signatures import dit_chunk
from worldexplorer_models.hy_worldplay_8b.transformer import WorldPlay8BTransformer
from worldexplorer_models.hy_worldplay_8b.weights import CheckpointMismatch, check


class SafetensorsTest(unittest.TestCase):
    def test_round_trip_keeps_values_dtypes_and_shapes(self):
        tensors = {"a": torch.arange(6, dtype=torch.float32).reshape(2, 3), "b": torch.tensor([1.5, -2.25]).half(),
                   "c": torch.tensor([[1.0, 3.0e38, -7.0]]).bfloat16(), "d": torch.tensor([5, -9], dtype=torch.int64)}
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "t.safetensors"
            safetensors_io.write(path, tensors, {"k": "v"})
            read = safetensors_io.SafetensorsFile(path)
            self.assertEqual(sorted(read.keys()), ["a", "b", "c", "d"])
            self.assertEqual(read.metadata, {"k": "v"})
            for name, tensor in tensors.items():
                self.assertEqual(read.dtype(name), tensor.dtype)
                self.assertEqual(read.shape(name), tuple(tensor.shape))
                self.assertTrue(torch.equal(read.tensor(name), tensor), name)
            read.close()

    def test_header_layout_is_the_published_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "t.safetensors"
            safetensors_io.write(path, {"x": torch.tensor([1.0, 2.0])})
            raw = path.read_bytes()
            length = int.from_bytes(raw[:8], "little")
            self.assertEqual(length % 8, 0)
            self.assertIn(b'"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}', raw[8:8 + length])
            self.assertEqual(np.frombuffer(raw[8 + length:], "<f4").tolist(), [1.0, 2.0])

    def test_truncated_file_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "t.safetensors"
            safetensors_io.write(path, {"x": torch.zeros(4)})
            path.write_bytes(path.read_bytes()[:-4])
            with self.assertRaisesRegex(ValueError, "needs 16 bytes"):
                safetensors_io.SafetensorsFile(path)


class CheckpointCheckTest(unittest.TestCase):
    def setUp(self):
        self.model = build_on_meta(lambda: WorldPlay8BTransformer(depth=1))
        self.shapes = {n: tuple(p.shape) for n, p in self.model.named_parameters()}

    def test_later_blocks_are_skipped_not_unexpected(self):
        shapes = dict(self.shapes, **{"double_blocks.7.img_mod.linear.bias": (12288,)})
        self.assertEqual(check(self.model, ShapesOnly(shapes), blocks=1), 1)

    def test_message_lists_missing_unexpected_and_wrong_shapes(self):
        shapes = dict(self.shapes)
        del shapes["action_in.mlp.0.weight"]
        shapes["module.extra"] = (3,)
        shapes["final_layer.linear.bias"] = (16,)
        with self.assertRaises(CheckpointMismatch) as caught:
            check(self.model, ShapesOnly(shapes), blocks=1)
        message = str(caught.exception)
        self.assertIn("1 missing key(s):\n    action_in.mlp.0.weight", message)
        self.assertIn("1 unexpected key(s):\n    module.extra", message)
        self.assertIn("final_layer.linear.bias: checkpoint [16], model [32]", message)

    def test_command_line_reports_the_mismatch(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "wrong.safetensors"
            safetensors_io.write(path, {"img_in.proj.weight": torch.zeros(2, 2)})
            result = run_module("worldexplorer_models.export", "hy-worldplay-8b", "--checkpoint", str(path),
                                "--out", str(pathlib.Path(tmp) / "out"), "--size", "32x32", "--blocks", "1",
                                "--dit-only")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("missing key(s)", result.stderr)
        self.assertIn("img_in.proj.weight: checkpoint [2, 2], model [2048, 65, 1, 1, 1]", result.stderr)


class PrecisionTest(unittest.TestCase):
    """fp16/bf16 conversion of a small graph with the same patterns (weights, masks, fp32-only position math)."""

    def _graph(self, tmp):
        from worldexplorer_models.reference_tiny.build import example_inputs, modules
        from worldexplorer_models.reference_tiny.signatures import GRAPHS
        from worldexplorer_models import onnx_export
        mods = modules()
        module, args = example_inputs(mods)["dit_chunk"]
        path = pathlib.Path(tmp) / "dit_chunk.onnx"
        onnx_export.export(module, args, path, GRAPHS["dit_chunk"]["inputs"], GRAPHS["dit_chunk"]["outputs"])
        return onnx.load(str(path))

    def test_weights_become_low_precision_and_types_check(self):
        with tempfile.TemporaryDirectory() as tmp:
            self._graph(tmp)
            for dtype, code in LOW_PRECISIONS:
                check_lowered(self, pathlib.Path(tmp) / "dit_chunk.onnx", dtype, code)

    def test_bf16_rounds_to_nearest_even_and_fp16_clamps(self):
        bf16 = onnx_precision._to_low(np.array([1.0, 1.0 + 2 ** -8, 1.0 + 3 * 2 ** -8, -3.0e38], np.float32),
                                      TensorProto.BFLOAT16)
        back = (bf16.astype(np.uint32) << 16).view(np.float32)
        self.assertEqual(back[:3].tolist(), [1.0, 1.0, 1.0 + 2 ** -6])
        self.assertAlmostEqual(back[3] / -3.0e38, 1.0, places=2)
        fp16 = onnx_precision._to_low(np.array([-1.0e9, 7.0]), TensorProto.FLOAT16)
        self.assertEqual(fp16.tolist(), [-65504.0, 7.0])


class NarrowConfigurationExportTest(unittest.TestCase):
    """The 8B's graph structure at width 256 (2 heads of 128, one block): exports in seconds, so CI runs it."""

    def test_fused_attention_and_low_precision_weights(self):
        from worldexplorer_models import onnx_export
        from worldexplorer_models.hy_worldplay_8b.dit_chunk import DitChunk8B
        from worldexplorer_models.hy_worldplay_8b.export import example_inputs
        from worldexplorer_models.reference_tiny.transformer import init_weights
        transformer = WorldPlay8BTransformer(depth=1, hidden=256, heads=2)
        init_weights(transformer, 3)
        spec = dit_chunk(32, 32)
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "dit_chunk.onnx"
            onnx_export.export(DitChunk8B(transformer).eval(), example_inputs(32, 32), path, spec["inputs"],
                               spec["outputs"])
            graph = onnx.load(str(path))
            ops = [n.op_type for n in graph.graph.node]
            # 4 steps x 2 branches; the context pass and the text stream of the last block only feed K/V, so
            # their attention outputs are pruned. The token refiner (2 blocks) keeps MatMul-Softmax.
            self.assertEqual(ops.count("MultiHeadAttention"), 8)
            self.assertEqual(ops.count("Softmax"), 2)
            self.assertEqual([i.name for i in graph.graph.input], [s["name"] for s in spec["inputs"]])
            # Past the size threshold the weights move to a .data file beside the graph and read back the same.
            external = pathlib.Path(tmp) / "external" / "dit_chunk.onnx"
            external.parent.mkdir()
            weight_bytes, data_name = write_graph(onnx.load(str(path)), external, external_threshold=0)
            self.assertEqual(data_name, "dit_chunk.onnx.data")
            # Tensors under 1 KiB stay inline; the rest lie back to back (aligned) in the data file.
            outside = sum(a.nbytes for a in (numpy_helper.to_array(t) for t in graph.graph.initializer)
                          if a.nbytes >= 1024)
            self.assertGreaterEqual((external.parent / data_name).stat().st_size, outside)
            self.assertLessEqual(outside, weight_bytes)
            self.assertLess(external.stat().st_size, 1_000_000)
            reread = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(external)).graph.initializer}
            for tensor in graph.graph.initializer:
                np.testing.assert_array_equal(reread[tensor.name], numpy_helper.to_array(tensor))
            for dtype, code in (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16)):
                low = onnx_precision.convert(onnx.load(str(path)), dtype)
                onnx.checker.check_model(low, full_check=True)
                onnx.shape_inference.infer_shapes(low, check_type=True, strict_mode=True)
                self.assertEqual({t.data_type for t in low.graph.initializer} - {TensorProto.INT64}, {code})


@unittest.skipUnless(SLOW, "full-width export takes minutes: set WORLDEXPLORER_SLOW_TESTS=1")
class FullWidthExportTest(unittest.TestCase):
    def test_one_block_full_width_fp32_export(self):
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = pathlib.Path(tmp) / "ckpt.safetensors"
            synthetic.write(checkpoint, blocks=2, dtype=torch.bfloat16)
            out = pathlib.Path(tmp) / "bundle"
            result = run_module("worldexplorer_models.export", "hy-worldplay-8b", "--checkpoint", str(checkpoint),
                                "--out", str(out), "--dtype", "fp32", "--size", "32x32", "--blocks", "1",
                                "--dit-only")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("peak memory", result.stderr)
            graph = onnx.load(str(out / "dit_chunk.onnx"))
            spec = dit_chunk(32, 32)
            self.assertEqual([i.name for i in graph.graph.input], [s["name"] for s in spec["inputs"]])
            dims = [d.dim_value for d in graph.graph.output[0].type.tensor_type.shape.dim]
            self.assertEqual(dims, [1, 32, 4, 2, 2])
            weights = {t.name: tuple(t.dims) for t in graph.graph.initializer}
            self.assertIn((12288, 2048), weights.values())


if __name__ == "__main__":
    unittest.main()
