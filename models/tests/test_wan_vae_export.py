"""The Wan2.2 VAE exporter: graph signatures, shapes computed from the inputs (the graphs are traced at one size and
declared at another), fp16/bf16 structure, checkpoint and config checks. The numbers of the exported graphs are
checked in ONNX Runtime by the Java test WanVaeParityTest; a full-width export runs with WORLDEXPLORER_SLOW_TESTS."""

import json
import pathlib
import tempfile
import unittest

import onnx
import torch
from onnx import TensorProto

from tests.helpers import SLOW, run_module
from tests.test_wan_vae import narrow_vae
from worldexplorer_models import safetensors_io
from worldexplorer_models.wan_vae import precision, synthetic
from worldexplorer_models.wan_vae.export import TRACE_SIZE, example_inputs, export_wan_vae, trace
from worldexplorer_models.wan_vae.graphs import VaeDecoderFirst, VaeDecoderLater, VaeEncoder, cache_size
from worldexplorer_models.wan_vae.signatures import vae_graphs
from worldexplorer_models.wan_vae.weights import CheckpointMismatch

SIZE = (48, 32)


def _dims(value):
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in value.type.tensor_type.shape.dim]


def _producers(graph):
    return {o: n for n in graph.node for o in n.output}


class NarrowExportTest(unittest.TestCase):
    """The three graphs of the narrow VAE, traced at TRACE_SIZE (32x16) and declared at 48x32."""

    @classmethod
    def setUpClass(cls):
        vae = narrow_vae()
        config = vae.config
        cls.specs = vae_graphs(config, *SIZE, cache_size(vae.decoder, *SIZE, config))
        traced = vae_graphs(config, *TRACE_SIZE, cache_size(vae.decoder, *TRACE_SIZE, config))
        args = example_inputs(config, traced)
        modules = {"vae_encoder": VaeEncoder(vae), "vae_decoder_first": VaeDecoderFirst(vae),
                   "vae_decoder": VaeDecoderLater(vae)}
        cls.tmp = tempfile.TemporaryDirectory()
        cls.graphs = {k: trace(m, args[k], traced[k], cls.specs[k], cls.tmp.name) for k, m in modules.items()}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_signatures_are_the_contract(self):
        self.assertEqual(self.specs["vae_decoder_first"]["outputs"][0]["shape"], [1, 3, 13, 32, 48])
        self.assertEqual(self.specs["vae_decoder"]["outputs"][0]["shape"], [1, 3, 16, 32, 48])
        self.assertEqual(self.specs["vae_encoder"]["outputs"][0]["shape"], [1, 4, 2, 3])
        for key, graph in self.graphs.items():
            spec = self.specs[key]
            for values, expected in ((graph.graph.input, spec["inputs"]), (graph.graph.output, spec["outputs"])):
                self.assertEqual([(v.name, v.type.tensor_type.elem_type, _dims(v)) for v in values],
                                 [(s["name"], TensorProto.FLOAT, s["shape"]) for s in expected], key)

    def test_inner_shapes_follow_the_inputs(self):
        # Shape inference from the declared 48x32 inputs reaches the declared outputs: nothing of the 32x16 trace
        # is baked in (a baked size would give a conflict or a different output size).
        for key, graph in self.graphs.items():
            inferred = onnx.shape_inference.infer_shapes(graph, check_type=True, strict_mode=True, data_prop=True)
            self.assertEqual([_dims(o) for o in inferred.graph.output],
                             [s["shape"] for s in self.specs[key]["outputs"]], key)

    def test_fp16_and_bf16_keep_float32_edges_norms_and_resize_scales(self):
        for dtype, code in (("fp16", TensorProto.FLOAT16), ("bf16", TensorProto.BFLOAT16)):
            for key, original in self.graphs.items():
                graph = precision.convert(onnx.ModelProto.FromString(original.SerializeToString()), dtype)
                onnx.checker.check_model(graph, full_check=True)
                where = f"{key} {dtype}"
                floats = {t.name: t.data_type for t in graph.graph.initializer
                          if t.data_type not in (TensorProto.INT64,)}
                self.assertEqual({n for n, t in floats.items() if t != code}, {"wan_vae_norm_eps_fp32"}, where)
                self.assertEqual({v.type.tensor_type.elem_type for v in list(graph.graph.input)
                                  + list(graph.graph.output)}, {TensorProto.FLOAT}, where)
                producers = _producers(graph.graph)
                nodes = list(graph.graph.node)
                norms = [n for n in nodes if n.op_type == "ReduceL2"]
                self.assertGreater(len(norms), 10, where)
                for norm in norms:
                    cast = producers[norm.input[0]]
                    self.assertEqual((cast.op_type, cast.attribute[0].i), ("Cast", TensorProto.FLOAT), where)
                for resize in (n for n in nodes if n.op_type == "Resize"):
                    scales = producers.get(resize.input[2])
                    self.assertEqual(scales.op_type if scales else "initializer", "Constant", where)
                    self.assertEqual(scales.attribute[0].t.data_type, TensorProto.FLOAT, where)
                convs = [n for n in nodes if n.op_type == "Conv"]
                casts_to_float = [producers.get(n.input[1]) for n in convs]
                if dtype == "bf16":   # opset 17 Conv has no bfloat16: the convs compute in float32
                    self.assertTrue(all(c is not None and c.op_type == "Cast" and c.attribute[0].i == TensorProto.FLOAT
                                        for c in casts_to_float), where)
                else:                 # fp16 convs take the fp16 weights directly
                    self.assertTrue(all(n.input[1] in floats and floats[n.input[1]] == code for n in convs), where)


class CheckpointTest(unittest.TestCase):
    def test_a_wan21_checkpoint_is_refused_with_the_differences(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "vae.safetensors"
            # Wan2.1's VAE: no patchify (3 input channels), base_dim 96, original names in places
            safetensors_io.write(path, {"encoder.conv_in.weight": torch.zeros(96, 3, 3, 3, 3),
                                        "encoder.conv_in.bias": torch.zeros(96),
                                        "encoder.downsamples.0.residual.0.gamma": torch.zeros(96, 1, 1, 1)})
            with self.assertRaises(CheckpointMismatch) as caught:
                export_wan_vae(path, pathlib.Path(tmp) / "out", "fp32", SIZE, log=lambda line: None)
        message = str(caught.exception)
        self.assertIn("does not fit the Wan2.2 VAE", message)
        self.assertIn("194 missing key(s):", message)
        self.assertIn("1 unexpected key(s):\n    encoder.downsamples.0.residual.0.gamma", message)
        self.assertIn("encoder.conv_in.weight: checkpoint [96, 3, 3, 3, 3], model [160, 12, 3, 3, 3]", message)
        self.assertIn("Wan-AI/Wan2.2-TI2V-5B-Diffusers", message)
        self.assertFalse((pathlib.Path(tmp) / "out").exists())

    def test_a_config_json_of_another_vae_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            safetensors_io.write(folder / "diffusion_pytorch_model.safetensors", {"x": torch.zeros(1)})
            (folder / "config.json").write_text(json.dumps({"_class_name": "AutoencoderKLWan", "z_dim": 16,
                                                            "base_dim": 96, "patch_size": None}))
            with self.assertRaisesRegex(ValueError, r"describes a different VAE than Wan2.2-TI2V-5B's: base_dim: 96 "
                                                    r"\(expected 160\); z_dim: 16 \(expected 48\); patch_size: None "
                                                    r"\(expected 2\)"):
                export_wan_vae(folder, folder / "out", "fp16", SIZE, log=lambda line: None)

    def test_command_line_reports_the_mismatch(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "wrong.safetensors"
            safetensors_io.write(path, {"decoder.conv_in.weight": torch.zeros(384, 16, 3, 3, 3)})
            result = run_module("worldexplorer_models.wan_vae.export", "--checkpoint", str(path), "--out",
                                str(pathlib.Path(tmp) / "out"), "--size", "32x16")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("export failed: the checkpoint does not fit the Wan2.2 VAE", result.stderr)
        self.assertIn("decoder.conv_in.weight: checkpoint [384, 16, 3, 3, 3], model [1024, 48, 3, 3, 3]",
                      result.stderr)

    def test_bad_arguments_are_refused_before_reading(self):
        with self.assertRaisesRegex(ValueError, "dtype int8 is not one of fp32, fp16, bf16"):
            export_wan_vae("/nonexistent", "/tmp/unused", "int8")
        with self.assertRaisesRegex(ValueError, "100x64 must be a positive multiple of 16"):
            export_wan_vae("/nonexistent", "/tmp/unused", "fp16", (100, 64))
        with self.assertRaisesRegex(FileNotFoundError, "/nonexistent does not exist"):
            export_wan_vae("/nonexistent", "/tmp/unused", "fp16")


@unittest.skipUnless(SLOW, "a full-width export writes several GB: set WORLDEXPLORER_SLOW_TESTS=1")
class FullWidthExportTest(unittest.TestCase):
    def test_bf16_graphs_of_the_synthetic_checkpoint(self):
        with tempfile.TemporaryDirectory() as tmp:
            checkpoint = pathlib.Path(tmp) / "vae.safetensors"
            synthetic.write(checkpoint, dtype=torch.bfloat16)
            record = export_wan_vae(checkpoint, pathlib.Path(tmp) / "bundle", "bf16", (16, 32), log=lambda l: None)
            bundle = pathlib.Path(tmp) / "bundle"
            files = sorted(p.name for p in bundle.iterdir())
            types = {t.data_type for t in onnx.load(str(bundle / "vae_decoder.onnx")).graph.initializer}
        # bf16 decoder weights (1.1 GB) fit in the graph file itself; fp32 ones (2.2 GB) would not
        self.assertEqual(files, ["vae_decoder.onnx", "vae_decoder_first.onnx", "vae_encoder.onnx"])
        self.assertEqual(types - {TensorProto.INT64}, {TensorProto.BFLOAT16, TensorProto.FLOAT})
        # the decoder's weights twice, 2 bytes each; the encoder's single-frame convs keep one temporal tap
        decoder, encoder = 555_051_580, 149_637_088
        self.assertGreater(record["weight_bytes"], 2 * 2 * decoder)
        self.assertLess(record["weight_bytes"], 2 * (2 * decoder + encoder))
        self.assertEqual(record["cache_size"], 2 * 2 * (48 + 11 * 1024 + 4 * 7 * 1024 + 16 * (1024 + 5 * 512)
                                                        + 64 * (512 + 6 * 256)))


if __name__ == "__main__":
    unittest.main()
