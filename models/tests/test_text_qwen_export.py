"""text_encoder_llm exports: the contract signature, what the graph holds at fp32, fp16 and bf16, the files beside
it, refused inputs, and a full-width one-layer export. The numbers are compared with PyTorch through ONNX Runtime
Java in runtime's QwenSiglipParityTest."""

import collections
import json
import pathlib
import shutil
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto, numpy_helper

from tests.helpers import QUIET, dims, float_elements
from worldexplorer_models import onnx_precision
from worldexplorer_models.text_qwen import large_graph, prompt, synthetic
from worldexplorer_models.text_qwen.config import QWEN25_VL_7B
from worldexplorer_models.text_qwen.export import export_llm, graph_entry
from worldexplorer_models.text_qwen.weights import CheckpointMismatch
from worldexplorer_models.vision_siglip import synthetic as siglip_synthetic
from worldexplorer_models.vision_siglip.config import SO400M_PATCH14_384

TINY = QWEN25_VL_7B.with_(vocab=64, hidden=64, layers=4, heads=4, kv_heads=2, intermediate=96, rope_theta=100.0,
                          mrope_section=(2, 3, 3))


class TinyExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp())
        cls.source = synthetic.write_folder(cls.tmp / "llm", TINY, layout="transformers-4.52")
        cls.entries = {d: export_llm(cls.source, cls.tmp / d, d, 1108, QUIET, config=TINY)
                       for d in ("fp32", "fp16", "bf16")}
        cls.graphs = {d: onnx.load(str(cls.tmp / d / "text_encoder_llm.onnx")) for d in cls.entries}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_signature_is_the_contracts(self):
        for dtype, graph in self.graphs.items():
            self.assertEqual(self.entries[dtype], {"text_encoder_llm": graph_entry(TINY)})
            inputs = [(i.name, i.type.tensor_type.elem_type, dims(i)) for i in graph.graph.input]
            self.assertEqual(inputs, [("input_ids", TensorProto.INT64, [1, "n_tokens"]),
                                      ("attention_mask", TensorProto.INT64, [1, "n_tokens"])], dtype)
            out = graph.graph.output[0]
            self.assertEqual((out.name, out.type.tensor_type.elem_type, dims(out)),
                             ("embeds", TensorProto.FLOAT, [1, "n_tokens", 64]), dtype)
            onnx.checker.check_model(graph, full_check=True)

    def test_graph_holds_two_layers_and_nothing_unused(self):
        graph = self.graphs["fp32"]
        ops = collections.Counter(n.op_type for n in graph.graph.node)
        self.assertEqual(ops["Softmax"], 2)      # layers 0 and 1 of 4: hidden state -3
        self.assertEqual(ops["Cos"], 1)          # one RoPE table shared by the layers
        # Embedding + 2 x (norms, q/k/v with bias, o, MLP); no final norm, no lm_head.
        h, kv, f = 64, 32, 96
        layer = 2 * h + (h * h + h) + 2 * (h * kv + kv) + h * h + 3 * h * f
        self.assertEqual(float_elements(graph), 64 * h + 2 * layer)

    def test_low_precision_graphs_keep_position_math_in_fp32_and_masks_finite(self):
        for dtype, code in (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16)):
            graph = self.graphs[dtype]
            floats = {t.data_type for t in graph.graph.initializer} - {TensorProto.INT64, TensorProto.BOOL}
            self.assertEqual(floats, {code}, dtype)
            typed = onnx.shape_inference.infer_shapes(graph, check_type=True, strict_mode=True)
            types = {v.name: v.type.tensor_type.elem_type for v in typed.graph.value_info}
            for node in graph.graph.node:
                if node.op_type in ("Cos", "Sin"):
                    self.assertEqual(types[node.output[0]], TensorProto.FLOAT, f"{dtype}: RoPE tables stay fp32")
            produced = {o: n for n in graph.graph.node for o in n.output}
            fills = []
            for node in graph.graph.node:
                if node.op_type == "Where":
                    cast = produced[node.input[1]]
                    constant = produced[cast.input[0]]
                    self.assertEqual((cast.op_type, constant.op_type), ("Cast", "Constant"), dtype)
                    fills.append(float(numpy_helper.to_array(constant.attribute[0].t)))
            self.assertEqual(fills, [-65504.0, -65504.0], f"{dtype}: masked logits stay finite in fp16")

    def test_tokenizer_and_export_record_are_written(self):
        out = self.tmp / "fp16"
        self.assertEqual((out / "tokenizer_llm.json").read_bytes(), (self.source / "tokenizer.json").read_bytes())
        record = json.loads((out / "export_text_encoder_llm.json").read_text())
        self.assertEqual(record["stream"], {"name": "llm", "graph": "text_encoder_llm.onnx", "dim": 64,
                                            "max_tokens": 1108,
                                            "tokenizer": {"kind": "huggingface", "file": "tokenizer_llm.json"}})
        self.assertEqual(record["host"]["chat_prefix"], prompt.CHAT_PREFIX)
        self.assertEqual(record["host"]["crop_after_ids"], [151644, 872, 198])
        self.assertEqual((record["dtype"], record["layers"], record["external_data"]), ("fp16", 2, None))


class LargeGraphTest(unittest.TestCase):
    """Graphs over 2 GiB come from torch with their weights in files beside them; lowering them reads the graph
    without its weights. Here a tiny graph is saved that way and must lower exactly as when held in memory."""

    def test_external_weights_lower_like_in_memory_ones(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            source = synthetic.write_folder(tmp / "llm", TINY)
            export_llm(source, tmp / "inline", "fp32", 1108, QUIET, config=TINY)
            inline = tmp / "inline" / "text_encoder_llm.onnx"
            (tmp / "split").mkdir()
            split = tmp / "split" / "traced.onnx"
            onnx.save_model(onnx.load(str(inline)), str(split), save_as_external_data=True,
                            all_tensors_to_one_file=False, size_threshold=0)
            self.assertGreater(len(list((tmp / "split").iterdir())), 20, "one file per weight, as torch writes")
            for dtype in ("fp16", "fp32"):
                ours = large_graph.load_lowered(split, dtype)
                expected = onnx.load(str(inline))
                expected = onnx_precision.convert(expected, dtype) if dtype != "fp32" else expected
                self.assertEqual([n.SerializeToString() for n in ours.graph.node],
                                 [n.SerializeToString() for n in expected.graph.node], dtype)
                by_name = {t.name: t for t in expected.graph.initializer}
                for tensor in ours.graph.initializer:
                    self.assertEqual(tensor.data_location, TensorProto.DEFAULT, tensor.name)
                    np.testing.assert_array_equal(numpy_helper.to_array(tensor),
                                                  numpy_helper.to_array(by_name[tensor.name]))
                self.assertEqual(len(ours.graph.initializer), len(by_name))


class RefusedInputTest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_a_vision_checkpoint_is_refused_naming_what_to_pass(self):
        folder = siglip_synthetic.write_folder(self.tmp / "siglip", SO400M_PATCH14_384.with_(
            hidden=16, layers=1, heads=2, intermediate=8, patch=4, image=8)) / "image_encoder"
        (folder / "config.json").unlink()
        (folder / "tokenizer.json").write_text(json.dumps(synthetic.tokenizer_json()))
        with self.assertRaises(CheckpointMismatch) as caught:
            export_llm(folder, self.tmp / "out", "fp16", 1108, QUIET)
        message = str(caught.exception)
        self.assertIn("does not fit the Qwen2.5-VL-7B-Instruct language model", message)
        self.assertIn("vision_model.embeddings.patch_embedding.bias", message)
        self.assertIn("pass the text_encoder/llm folder", message)

    def test_missing_or_foreign_files_are_named(self):
        folder = synthetic.write_folder(self.tmp / "llm", TINY, layers=2)
        other = QWEN25_VL_7B.with_(hidden=2048, heads=16, kv_heads=2)
        (folder / "config.json").write_text(json.dumps(synthetic.config_json(other)))
        with self.assertRaisesRegex(ValueError, "hidden_size 2048 \\(expected 64\\)"):
            export_llm(folder, self.tmp / "out", "fp32", 1108, QUIET, config=TINY)
        tokenizer = synthetic.tokenizer_json()
        tokenizer["added_tokens"][1]["id"] = 128000
        (folder / "tokenizer.json").write_text(json.dumps(tokenizer))
        wrong = "not Qwen2's tokenizer: '<\\|im_start\\|>' is 128000 \\(expected 151644"
        with self.assertRaisesRegex(ValueError, wrong):
            export_llm(folder, self.tmp / "out", "fp32", 1108, QUIET, config=TINY)
        (folder / "tokenizer.json").unlink()
        with self.assertRaisesRegex(FileNotFoundError, "tokenizer.json is missing"):
            export_llm(folder, self.tmp / "out", "fp32", 1108, QUIET, config=TINY)

    def test_bad_arguments_are_refused(self):
        folder = synthetic.write_folder(self.tmp / "llm", TINY, layers=2)
        with self.assertRaisesRegex(ValueError, "dtype int8"):
            export_llm(folder, self.tmp / "out", "int8", 1108, QUIET, config=TINY)
        with self.assertRaisesRegex(ValueError, "layers 3 must be between 1 and 2"):
            export_llm(folder, self.tmp / "out", "fp32", 1108, QUIET, layers=3, config=TINY)
        with self.assertRaisesRegex(ValueError, "max_tokens 0"):
            export_llm(folder, self.tmp / "out", "fp32", 0, QUIET, config=TINY)


class FullWidthOneLayerExportTest(unittest.TestCase):
    """Hidden 3584, 28 query and 4 key/value heads of 128, MLP 18944, one layer, fp16; a 4096-token vocabulary
    keeps it small."""

    def test_full_width_layer_in_fp16(self):
        config = QWEN25_VL_7B.with_(vocab=4096)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            folder = synthetic.write_folder(tmp / "llm", config, layers=1, dtype=torch.bfloat16)
            export_llm(folder, tmp / "out", "fp16", 1108, QUIET, layers=1, config=config)
            graph = onnx.load(str(tmp / "out" / "text_encoder_llm.onnx"))
        matrices = collections.Counter(tuple(t.dims) for t in graph.graph.initializer if len(t.dims) == 2)
        # Linear weights are stored transposed for MatMul.
        self.assertEqual(matrices, {(4096, 3584): 1, (3584, 3584): 2, (3584, 512): 2, (3584, 18944): 2,
                                    (18944, 3584): 1})
        self.assertEqual({t.data_type for t in graph.graph.initializer if len(t.dims) == 2}, {TensorProto.FLOAT16})
        perms = collections.Counter(tuple(n.attribute[0].ints) for n in graph.graph.node if n.op_type == "Transpose")
        # q, k and v as [batch, key/value head, group, token, 128]; the output back to [batch, token, heads].
        self.assertEqual((perms[(0, 2, 3, 1, 4)], perms[(0, 3, 1, 2, 4)]), (3, 1))
        self.assertEqual(dims(graph.graph.output[0]), [1, "n_tokens", 3584])


if __name__ == "__main__":
    unittest.main()
