"""Reading the 5B's checkpoints: upstream's model.pt layout and key prefixes, safetensors folders, and the messages
a wrong file gets (also through the command line)."""

import pathlib
import tempfile
import unittest

import torch

from tests.helpers import ShapesOnly, run_module
from worldexplorer_models import safetensors_io
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta
from worldexplorer_models.worldplay_5b import synthetic
from worldexplorer_models.worldplay_5b.checkpoint import open_checkpoint, upstream_key
from worldexplorer_models.worldplay_5b.transformer import WorldPlay5BTransformer
from worldexplorer_models.worldplay_5b.weights import CheckpointMismatch, check, load


class UpstreamKeyTest(unittest.TestCase):
    def test_training_prefixes_are_removed_as_generate_py_does(self):
        self.assertEqual(upstream_key("model.blocks.0.ffn.net.2.bias"), "blocks.0.ffn.net.2.bias")
        self.assertEqual(upstream_key("_fsdp_wrapped_module.proj_out.weight"), "proj_out.weight")
        self.assertEqual(upstream_key("model._fsdp_wrapped_module.scale_shift_table"), "scale_shift_table")
        self.assertEqual(upstream_key("proj_out.bias"), "proj_out.bias")
        # Only a leading prefix triggers the removal.
        self.assertEqual(upstream_key("blocks.model.x"), "blocks.model.x")


class OpenCheckpointTest(unittest.TestCase):
    def test_torch_file_with_generator_and_prefix(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "model.pt"
            state = {"model.proj_out.weight": torch.arange(6.0).reshape(2, 3), "model.proj_out.bias": torch.ones(2)}
            torch.save({"generator": state, "step": 100}, str(path))
            for where in (path, pathlib.Path(tmp)):  # the file, or a folder holding only model.pt
                checkpoint = open_checkpoint(where)
                self.assertEqual(sorted(checkpoint.keys()), ["proj_out.bias", "proj_out.weight"])
                self.assertEqual(checkpoint.shape("proj_out.weight"), (2, 3))
                self.assertTrue(torch.equal(checkpoint.tensor("proj_out.weight"), state["model.proj_out.weight"]))
                # Handed over once, so the file's copy does not stay in memory beside the model's.
                with self.assertRaisesRegex(KeyError, "already read"):
                    checkpoint.tensor("proj_out.weight")
                self.assertEqual(checkpoint.shape("proj_out.weight"), (2, 3))

    def test_safetensors_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            safetensors_io.write(pathlib.Path(tmp) / "a.safetensors", {"model.proj_out.bias": torch.ones(2)})
            safetensors_io.write(pathlib.Path(tmp) / "b.safetensors", {"scale_shift_table": torch.zeros(1, 2, 3)})
            checkpoint = open_checkpoint(tmp)
            self.assertEqual(sorted(checkpoint.keys()), ["proj_out.bias", "scale_shift_table"])
            self.assertEqual(len(checkpoint.files), 2)
            checkpoint.close()

    def test_wrong_files_get_a_message_that_says_what_to_pass(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            torch.save({"critic": {"w": torch.zeros(1)}, "step": 3}, str(tmp / "other.pt"))
            with self.assertRaisesRegex(ValueError, "no 'generator' state dict \\(top-level keys: critic, step\\)"):
                open_checkpoint(tmp / "other.pt")
            (tmp / "text.pt").write_text("not a checkpoint")
            with self.assertRaisesRegex(ValueError, "could not be read as a torch checkpoint.*wan_distilled_model"):
                open_checkpoint(tmp / "text.pt")
            torch.save({"generator": {"model.a": torch.zeros(1), "a": torch.ones(1)}}, str(tmp / "twice.pt"))
            with self.assertRaisesRegex(ValueError, "both become a"):
                open_checkpoint(tmp / "twice.pt")
            (tmp / "empty").mkdir()
            with self.assertRaisesRegex(FileNotFoundError, "neither .safetensors files nor model.pt"):
                open_checkpoint(tmp / "empty")
            with self.assertRaisesRegex(FileNotFoundError, "does not exist"):
                open_checkpoint(tmp / "missing.pt")


class KeyCheckTest(unittest.TestCase):
    def setUp(self):
        self.model = build_on_meta(lambda: WorldPlay5BTransformer(layers=1))
        self.shapes = {n: tuple(p.shape) for n, p in self.model.named_parameters()}

    def test_later_blocks_are_skipped_not_unexpected(self):
        shapes = dict(self.shapes, **{"blocks.29.norm2.bias": (3072,), "blocks.1.ffn.net.2.bias": (3072,)})
        self.assertEqual(check(self.model, ShapesOnly(shapes), blocks=1), 2)

    def test_base_model_without_worldplay_weights_is_named(self):
        # wan_transformer/ (the Wan2.2 base) lacks the action embedder and the PRoPE projections.
        shapes = {n: s for n, s in self.shapes.items() if "action_embedder" not in n and "prope" not in n}
        with self.assertRaises(CheckpointMismatch) as caught:
            check(self.model, ShapesOnly(shapes), blocks=1)
        message = str(caught.exception)
        self.assertIn("6 missing key(s):", message)
        self.assertIn("blocks.0.attn1.to_out_prope.0.weight", message)
        self.assertIn("condition_embedder.action_embedder.linear_2.weight", message)
        self.assertIn("pass wan_distilled_model/model.pt", message)

    def test_loads_a_synthetic_upstream_file_into_the_meta_model(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "model.pt"
            small = synthetic.random_weights(self.shapes, seed=1)
            torch.save({"generator": {"model." + k: v.to(torch.bfloat16) for k, v in small.items()}}, str(path))
            model = load(self.model, open_checkpoint(path), blocks=1, log=lambda line: None)
        self.assertFalse(any(p.is_meta for p in model.parameters()))
        self.assertEqual(model.proj_out.weight.dtype, torch.float32)
        self.assertTrue(torch.equal(model.proj_out.weight, small["proj_out.weight"].to(torch.bfloat16).float()))


class CommandLineTest(unittest.TestCase):
    def test_a_wrong_checkpoint_fails_with_the_key_listing(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "wrong.safetensors"
            safetensors_io.write(path, {"patch_embedding.weight": torch.zeros(2, 2)})
            result = run_module("worldexplorer_models.worldplay_5b", "export", "--checkpoint", str(path),
                                "--out", str(pathlib.Path(tmp) / "out"), "--size", "64x64", "--blocks", "1")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("export failed: the checkpoint does not fit hy-worldplay-5b", result.stderr)
        self.assertIn("patch_embedding.weight: checkpoint [2, 2], model [3072, 48, 1, 2, 2]", result.stderr)
        self.assertIn("missing key(s)", result.stderr)

    def test_a_video_size_the_patches_cannot_cover_is_refused(self):
        result = run_module("worldexplorer_models.worldplay_5b", "export", "--checkpoint", "unused.pt", "--out",
                            "unused", "--size", "848x480")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("848x480: the 5B needs positive multiples of 32", result.stderr)


if __name__ == "__main__":
    unittest.main()
