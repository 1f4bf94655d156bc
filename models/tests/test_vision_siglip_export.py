"""image_encoder exports: the contract signature, what the graph holds at fp32, fp16 and bf16, the folded input
scaling, refused inputs, and a full-width one-layer export at 384 x 384. The numbers are compared with PyTorch
through ONNX Runtime Java in runtime's QwenSiglipParityTest."""

import collections
import json
import pathlib
import shutil
import tempfile
import unittest

import onnx
import torch
from onnx import TensorProto

from tests.helpers import QUIET, dims, float_elements
from worldexplorer_models.text_qwen import synthetic as qwen_synthetic
from worldexplorer_models.text_qwen.config import QWEN25_VL_7B
from worldexplorer_models.vision_siglip import synthetic
from worldexplorer_models.vision_siglip.config import SO400M_PATCH14_384
from worldexplorer_models.vision_siglip.export import export_siglip, graph_entry, vision_entry
from worldexplorer_models.vision_siglip.weights import CheckpointMismatch

TINY = SO400M_PATCH14_384.with_(hidden=32, layers=3, heads=2, intermediate=48, patch=4, image=18)


class TinyExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp())
        source = synthetic.write_folder(cls.tmp / "siglip", TINY)
        cls.entries = {d: export_siglip(source, cls.tmp / d, d, QUIET, config=TINY) for d in ("fp32", "fp16", "bf16")}
        cls.graphs = {d: onnx.load(str(cls.tmp / d / "image_encoder.onnx")) for d in cls.entries}
        odd = synthetic.write_folder(cls.tmp / "odd", TINY, mean=(0.48, 0.46, 0.41), std=(0.27, 0.26, 0.28))
        export_siglip(odd / "image_encoder" / "model.safetensors", cls.tmp / "odd-out", "fp32", QUIET, config=TINY)
        cls.odd = onnx.load(str(cls.tmp / "odd-out" / "image_encoder.onnx"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_signature_is_the_contracts(self):
        for dtype, graph in self.graphs.items():
            self.assertEqual(self.entries[dtype], {"image_encoder": graph_entry(TINY)})
            i, o = graph.graph.input[0], graph.graph.output[0]
            self.assertEqual([(v.name, v.type.tensor_type.elem_type, dims(v)) for v in (i, o)],
                             [("pixels", TensorProto.FLOAT, [1, 3, 18, 18]),
                              ("vision_tokens", TensorProto.FLOAT, [1, "n_vision", 32])], dtype)
            onnx.checker.check_model(graph, full_check=True)
        self.assertEqual(vision_entry(TINY), {"graph": "image_encoder.onnx", "height": 18, "width": 18, "tokens": 16,
                                              "dim": 32})

    def test_graph_holds_the_encoder_without_the_pooling_head(self):
        graph = self.graphs["fp32"]
        ops = collections.Counter(n.op_type for n in graph.graph.node)
        self.assertEqual((ops["Softmax"], ops["LayerNormalization"], ops["Conv"]), (3, 2 * 3 + 1, 0))
        h, f = 32, 48
        layer = 4 * h + 4 * (h * h + h) + 2 * h * f + f + h
        self.assertEqual(float_elements(graph), h * 3 * 4 * 4 + h + 16 * h + 3 * layer + 2 * h)
        record = json.loads((self.tmp / "fp32" / "export_image_encoder.json").read_text())
        self.assertEqual(record["vision"], vision_entry(TINY))

    def test_low_precision_weights_with_float32_edges(self):
        for dtype, code in (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16)):
            graph = self.graphs[dtype]
            floats = {t.data_type for t in graph.graph.initializer} - {TensorProto.INT64}
            self.assertEqual(floats, {code}, dtype)
            onnx.shape_inference.infer_shapes(graph, check_type=True, strict_mode=True)
            # Following the pixels forward, the crop and patch reshapes stay fp32 and the first Cast lowers them.
            names, cast = {"pixels"}, None
            for node in graph.graph.node:
                if names & set(node.input):
                    if node.op_type == "Cast":
                        cast = node
                        break
                    names.update(node.output)
            self.assertEqual(onnx.helper.get_attribute_value(cast.attribute[0]), code, dtype)
            self.assertEqual(graph.graph.output[0].type.tensor_type.elem_type, TensorProto.FLOAT)

    def test_redux_scaling_adds_nothing_and_another_one_is_folded_in(self):
        first = lambda graph: next(n for n in graph.graph.node if "pixels" in n.input)
        self.assertEqual(first(self.graphs["fp32"]).op_type, "Slice")     # the patch grid's crop
        self.assertEqual(first(self.odd).op_type, "Slice")                # the first channel's scaling
        ops = lambda graph: collections.Counter(n.op_type for n in graph.graph.node)
        extra = ops(self.odd) - ops(self.graphs["fp32"])
        self.assertEqual((extra["Mul"], extra["Add"]), (3, 3))


class RefusedInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_a_language_model_checkpoint_is_refused_naming_what_to_pass(self):
        folder = qwen_synthetic.write_folder(self.tmp / "llm", QWEN25_VL_7B.with_(
            vocab=16, hidden=16, layers=1, heads=2, kv_heads=1, intermediate=8, mrope_section=(1, 1, 2)))
        (folder / "config.json").unlink()
        with self.assertRaises(CheckpointMismatch) as caught:
            export_siglip(folder, self.tmp / "out", "fp16", QUIET, layers=1)
        message = str(caught.exception)
        self.assertIn("does not fit the SigLIP so400m-patch14-384 vision encoder", message)
        self.assertIn("vision_model.post_layernorm.weight", message)
        self.assertIn("pass HY-WorldPlay's vision_encoder/siglip folder", message)

    def test_foreign_configs_and_paths_are_named(self):
        folder = synthetic.write_folder(self.tmp / "siglip", TINY, layers=1)
        config = synthetic.config_json(TINY)
        (folder / "image_encoder" / "config.json").write_text(json.dumps(dict(config, hidden_size=768)))
        with self.assertRaisesRegex(ValueError, "hidden_size 768 \\(expected 32\\)"):
            export_siglip(folder, self.tmp / "out", "fp32", QUIET, config=TINY)
        (folder / "image_encoder" / "config.json").write_text(json.dumps(config))
        (folder / "feature_extractor" / "preprocessor_config.json").write_text(
            json.dumps(synthetic.preprocessor_json(224)))
        with self.assertRaisesRegex(ValueError, "resizes to 224 but the model takes 18 x 18"):
            export_siglip(folder, self.tmp / "out", "fp32", QUIET, config=TINY)
        with self.assertRaisesRegex(FileNotFoundError, "does not exist"):
            export_siglip(self.tmp / "nowhere", self.tmp / "out", "fp32", QUIET, config=TINY)
        with self.assertRaisesRegex(ValueError, "layers 4 must be between 1 and 3"):
            export_siglip(folder, self.tmp / "out", "fp32", QUIET, layers=4, config=TINY)


class FullWidthOneLayerExportTest(unittest.TestCase):
    def test_full_width_layer_at_384(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            folder = synthetic.write_folder(tmp / "siglip", SO400M_PATCH14_384, layers=2, dtype=torch.bfloat16)
            export_siglip(folder, tmp / "out", "fp16", QUIET, layers=1)
            graph = onnx.load(str(tmp / "out" / "image_encoder.onnx"))
        sizes = collections.Counter(tuple(t.dims) for t in graph.graph.initializer if len(t.dims) >= 2)
        self.assertEqual(sizes, {(1152, 3, 14, 14): 1, (1, 729, 1152): 1, (1152, 1152): 4, (1152, 4304): 1,
                                 (4304, 1152): 1})
        self.assertEqual(dims(graph.graph.input[0]), [1, 3, 384, 384])
        self.assertEqual(dims(graph.graph.output[0]), [1, "n_vision", 1152])


if __name__ == "__main__":
    unittest.main()
