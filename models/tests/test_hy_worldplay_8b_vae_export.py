"""The 8B VAE exporter on a synthetic checkpoint with every upstream parameter at full size (1.26B weights): the
fp32 graphs, traced at a 3x2 latent grid and fixed to a 32x16 video, run node by node (vae_onnx_check) against
PyTorch; the bf16 and fp16 graphs checked for dtypes and signatures; wrong checkpoints refused with the keys."""

import json
import pathlib
import tempfile
import unittest

import onnx
import torch
from onnx import TensorProto

from worldexplorer_models import safetensors_io
from worldexplorer_models.checkpoint_keys import CheckpointMismatch
from worldexplorer_models.hy_worldplay_8b import vae_onnx_check, vae_synthetic
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta
from worldexplorer_models.hy_worldplay_8b.vae import FULL, AutoencoderKLConv3D
from worldexplorer_models.hy_worldplay_8b.vae_export import export_vae, finish, load, locate, part_parameters, \
    traced_graphs
from worldexplorer_models.hy_worldplay_8b.vae_graphs import VaeDecoderFirstGraph, VaeDecoderLaterGraph, \
    VaeEncoderGraph, signatures

SIZE = (32, 16)  # 2 x 1 latents: another grid than the traced 3 x 2, with a one-row latent edge case
TOLERANCE = 1e-4


class SyntheticFullWidthExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = pathlib.Path(cls.tmp.name)
        folder = vae_synthetic.write(root / "vae")
        cls.specs = signatures(build_on_meta(AutoencoderKLConv3D).decoder, *SIZE)
        cls.parts = {}
        for part in ("encoder", "decoder"):
            model = load(folder, part, log=lambda line: None)
            (root / part).mkdir()
            graphs = traced_graphs(model, part, root / part, log=lambda line: None)
            cls.parts[part] = (getattr(model, part), graphs, part_parameters(model, part))
        (folder / vae_synthetic.WEIGHTS_FILE).unlink()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def _finish(self, part, key, dtype, out):
        _, graphs, parameters = self.parts[part]
        weight_bytes, data_name = finish(graphs[key], parameters, self.specs[key], dtype, out, log=lambda line: None)
        return onnx.load(str(pathlib.Path(out) / self.specs[key]["file"])), weight_bytes, data_name

    def _assert_close(self, what, actual, expected):
        self.assertEqual(tuple(actual.shape), tuple(expected.shape), what)
        relative = float((actual - expected).abs().max() / expected.abs().max())
        self.assertGreater(float(expected.abs().max()), 0.1, what)
        self.assertLessEqual(relative, TOLERANCE, f"{what}: relative error {relative:.3g}")

    def test_fp32_graphs_reproduce_pytorch(self):
        g = torch.Generator().manual_seed(5)
        width, height = SIZE
        image = torch.rand(1, 3, height, width, generator=g) * 2 - 1
        first = torch.randn(1, 32, 4, 1, 2, generator=g)
        later = torch.randn(1, 32, 4, 1, 2, generator=g)
        encoder, decoder = self.parts["encoder"][0], self.parts["decoder"][0]
        with torch.no_grad():
            expected = {"image_latent": VaeEncoderGraph(encoder, FULL)(image)}
            expected["frames_first"], expected["cache_first"] = VaeDecoderFirstGraph(decoder)(first)
            expected["frames_later"], expected["cache_later"] = VaeDecoderLaterGraph(decoder)(later,
                                                                                           expected["cache_first"])
        with tempfile.TemporaryDirectory() as out:
            graph, weight_bytes, data_name = self._finish("encoder", "vae_encoder", "fp32", out)
            self.assertEqual((weight_bytes, data_name), (389_324_544 * 4, None))
            result = vae_onnx_check.run(graph, {"image": image})
            self._assert_close("image_latent", result["image_latent"], expected["image_latent"])
            del graph
            graph, weight_bytes, data_name = self._finish("decoder", "vae_decoder_first", "fp32", out)
            self.assertEqual((weight_bytes, data_name), (871_309_571 * 4, "vae_decoder_first.onnx.data"))
            result = vae_onnx_check.run(graph, {"latents": first})
            self._assert_close("first frames", result["frames"], expected["frames_first"])
            self._assert_close("first cache", result["cache_out"], expected["cache_first"])
            del graph, result
            graph, _, _ = self._finish("decoder", "vae_decoder", "fp32", out)
            result = vae_onnx_check.run(graph, {"latents": later, "cache_in": expected["cache_first"]})
            self._assert_close("later frames", result["frames"], expected["frames_later"])
            self._assert_close("later cache", result["cache_out"], expected["cache_later"])

    def _check_low_precision(self, dtype, code):
        with tempfile.TemporaryDirectory() as out:
            for part, key in (("encoder", "vae_encoder"), ("decoder", "vae_decoder_first"),
                              ("decoder", "vae_decoder")):
                graph, weight_bytes, data_name = self._finish(part, key, dtype, out)
                floats = {t.data_type for t in graph.graph.initializer} - {TensorProto.INT64}
                self.assertEqual(floats, {code}, f"{key} {dtype} weights")
                count = 389_324_544 if part == "encoder" else 871_309_571
                self.assertEqual((weight_bytes, data_name), (count * 2, None), key)
                spec = self.specs[key]
                for values, specs in ((graph.graph.input, spec["inputs"]), (graph.graph.output, spec["outputs"])):
                    self.assertEqual([(v.name, v.type.tensor_type.elem_type,
                                       [d.dim_value for d in v.type.tensor_type.shape.dim]) for v in values],
                                     [(s["name"], TensorProto.FLOAT, s["shape"]) for s in specs], key)
                ops = {n.op_type for n in graph.graph.node}
                self.assertIn("Cast", ops)
                del graph

    def test_bf16_graphs_keep_float32_boundaries(self):
        self._check_low_precision("bf16", TensorProto.BFLOAT16)

    def test_fp16_graphs_keep_float32_boundaries(self):
        self._check_low_precision("fp16", TensorProto.FLOAT16)


class WrongCheckpointTest(unittest.TestCase):
    def test_missing_and_unexpected_keys_are_listed_with_a_hint(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "transformer.safetensors"
            safetensors_io.write(path, {"img_in.proj.weight": torch.zeros(2, 2),
                                        "encoder.conv_in.conv.bias": torch.zeros(7)})
            with self.assertRaises(CheckpointMismatch) as caught:
                export_vae(path, pathlib.Path(tmp) / "out", size=(32, 32), log=lambda line: None)
        message = str(caught.exception)
        self.assertIn("the checkpoint does not fit the HY-WorldPlay 8B VAE", message)
        self.assertIn("217 missing key(s):\n    decoder.conv_in.conv.bias", message)
        self.assertIn("1 unexpected key(s):\n    img_in.proj.weight", message)
        self.assertIn("encoder.conv_in.conv.bias: checkpoint [7], model [128]", message)
        self.assertIn("pass the vae/ folder of tencent/HunyuanVideo-1.5", message)

    def test_a_config_of_another_vae_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp) / "vae"
            folder.mkdir()
            config = dict(vae_synthetic.config_json(), block_out_channels=[128, 256, 512, 512], scaling_factor=0.476)
            (folder / "config.json").write_text(json.dumps(config))
            safetensors_io.write(folder / vae_synthetic.WEIGHTS_FILE, {"x": torch.zeros(1)})
            with self.assertRaisesRegex(ValueError, "block_out_channels: config \\[128, 256, 512, 512\\], exporter "
                                                    "\\[128, 256, 512, 1024, 1024\\]\n  scaling_factor: config 0.476"):
                export_vae(folder, pathlib.Path(tmp) / "out", size=(32, 32), log=lambda line: None)

    def test_the_hunyuanvideo_folder_leads_to_its_vae_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            (root / "vae").mkdir()
            safetensors_io.write(root / "vae" / vae_synthetic.WEIGHTS_FILE, {"x": torch.zeros(1)})
            (root / "vae" / "config.json").write_text("{}")
            self.assertEqual(locate(root, log=lambda line: None), (root / "vae", root / "vae" / "config.json"))
            with self.assertRaisesRegex(FileNotFoundError, "does not exist; pass the vae/ folder"):
                locate(root / "missing", log=lambda line: None)

    def test_an_unknown_dtype_is_refused(self):
        with self.assertRaisesRegex(ValueError, "dtype fp8 is not one of fp32, fp16, bf16"):
            export_vae("unused", "unused", dtype="fp8")


if __name__ == "__main__":
    unittest.main()
