"""reference-scene: contract shapes, camera motion, memory of the start view, prompt effects, sampler, decoder.

Run from models/: /usr/bin/python3 -m unittest tests.test_reference_scene
"""

import json
import math
import pathlib
import unittest

import numpy as np
import onnx
import torch

from worldexplorer_models import noise
from worldexplorer_models.reference_scene import build, config as c, poses
from worldexplorer_models.reference_scene.dit import DitChunk, euler_steps
from worldexplorer_models.reference_scene.effects import pooled_strengths, tokenize
from worldexplorer_models.reference_scene.latent_layout import latents_to_images
from worldexplorer_models.reference_scene.manifest import manifest
from worldexplorer_models.reference_scene.signatures import GRAPHS
from worldexplorer_models.reference_scene.text_encoder import TextEncoder
from worldexplorer_models.reference_scene.vae import VaeDecoder, VaeDecoderFirst, VaeEncoder

BUNDLE = pathlib.Path(__file__).resolve().parents[2] / "assets" / "bundles" / "reference-scene"
SEED = 7


class Scene:
    """Rolls a pose string out chunk by chunk the way the host does (context = up to 20 latest latents)."""

    image = build.load_image(build.DEFAULT_IMAGE)
    image_latent = VaeEncoder()(image)
    dit = DitChunk()
    text = TextEncoder()

    @classmethod
    def rollout(cls, pose, prompt="", seed=SEED):
        w2c, labels = poses.trajectory(pose)
        assert len(w2c) % 4 == 0, "pose strings in these tests give whole chunks"
        w2c, k = torch.from_numpy(w2c), torch.from_numpy(poses.intrinsics(len(w2c)))
        ids, mask = tokenize(prompt, cls.text.vocab, c.MAX_TOKENS)
        ids, mask = torch.tensor([ids]), torch.tensor([mask])
        embeds = cls.text(ids, mask)
        sigmas = torch.from_numpy(poses.sigmas(c.STEPS, c.SHIFT))
        chunks = []
        with torch.no_grad():
            for start in range(0, len(w2c), 4):
                ctx = list(range(max(0, start - 20), start))
                context = (torch.cat(chunks, 2)[:, :, ctx[0]:] if ctx
                           else torch.zeros(1, c.CHANNELS, 0, c.LATENT_HEIGHT, c.LATENT_WIDTH))
                idx = torch.tensor(ctx, dtype=torch.long)
                chunk_noise = torch.from_numpy(noise.chunk_noise(seed, start, c.CHANNELS, 4, c.LATENT_HEIGHT,
                                                                 c.LATENT_WIDTH))
                chunks.append(cls.dit(context, w2c[idx], k[idx], torch.from_numpy(labels[ctx]),
                                      torch.arange(len(ctx)), (idx == 0).float(), chunk_noise,
                                      w2c[start:start + 4], k[start:start + 4],
                                      torch.from_numpy(labels[start:start + 4]),
                                      torch.arange(len(ctx), len(ctx) + 4),
                                      (torch.arange(start, start + 4) == 0).float(), cls.image_latent, sigmas,
                                      torch.tensor([c.CONTEXT_TIMESTEP]), embeds, mask.float()))
        return torch.cat(chunks, 2)

    @staticmethod
    def views(latents, index):
        """(base, styled) images [3, H, W] of one latent."""
        base = latents_to_images(latents[0, :c.VIEW_CHANNELS, index:index + 1])[0]
        styled = latents_to_images(latents[0, c.VIEW_CHANNELS:, index:index + 1])[0]
        return base, styled


def _grey(image):
    return image.mean(0)


def _correlation(a, b):
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / torch.sqrt((a * a).sum() * (b * b).sum()))


def _psnr(a, b):
    mse = float(((a - b) ** 2).mean()) / 4.0  # [-1, 1] -> [0, 1]
    return 10 * math.log10(1.0 / max(mse, 1e-12))


class ShapeTest(unittest.TestCase):

    def test_modules_give_the_contract_shapes(self):
        for key, (module, args) in build.example_inputs().items():
            with torch.no_grad():
                outputs = module(*args)
            outputs = outputs if isinstance(outputs, tuple) else (outputs,)
            for spec, value in zip(GRAPHS[key]["outputs"], outputs):
                fixed = [s for s in spec["shape"] if isinstance(s, int)]
                self.assertEqual(len(spec["shape"]), value.dim(), f"{key}.{spec['name']}")
                self.assertEqual(fixed, [n for s, n in zip(spec["shape"], value.shape) if isinstance(s, int)],
                                 f"{key}.{spec['name']}")
                self.assertEqual(torch.float32, value.dtype)

    def test_decoder_frame_counts_follow_the_contract(self):
        self.assertEqual([1, 3, 13, 192, 320], GRAPHS["vae_decoder_first"]["outputs"][0]["shape"])
        self.assertEqual([1, 3, 16, 192, 320], GRAPHS["vae_decoder"]["outputs"][0]["shape"])
        self.assertEqual(3 * 192 * 320, manifest()["vae"]["cache_size"])
        self.assertEqual(20 * 16, manifest()["video"]["width"])

    def test_built_graphs_carry_the_manifest_signatures_in_order(self):
        written = json.loads((BUNDLE / "manifest.json").read_text())
        self.assertEqual(json.loads(json.dumps(manifest())), written)
        dtypes = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.INT64: "int64"}
        for key, spec in written["graphs"].items():
            model = onnx.load(str(BUNDLE / spec["file"]))
            for kind, values in (("inputs", model.graph.input), ("outputs", model.graph.output)):
                found = [{"name": v.name, "dtype": dtypes[v.type.tensor_type.elem_type],
                          "shape": [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]}
                         for v in values]
                self.assertEqual(spec[kind], found, f"{key} {kind}")

    def test_empty_context_is_accepted(self):
        latents = Scene.rollout("w-3")
        self.assertEqual((1, c.CHANNELS, 4, 12, 20), tuple(latents.shape))
        self.assertTrue(torch.isfinite(latents).all())


class MotionTest(unittest.TestCase):

    def test_first_latent_reproduces_the_start_image(self):
        base, _ = Scene.views(Scene.rollout("w-3"), 0)
        self.assertGreater(_psnr(base, Scene.image[0]), 40.0)

    def test_forward_motion_zooms_in(self):
        base, _ = Scene.views(Scene.rollout("w-7"), 7)  # 0.56 units forward
        start = Scene.image[0]
        scores = {}
        for scale in (1.0, 1.1, 1.2, 1.3):
            size = (round(192 * scale), round(320 * scale))
            zoomed = torch.nn.functional.interpolate(start[None], size=size, mode="bilinear", align_corners=False)
            top, left = (size[0] - 192) // 2, (size[1] - 320) // 2
            zoomed = zoomed[0, :, top:top + 192, left:left + 320]
            scores[scale] = _correlation(_grey(base)[48:144, 80:240], _grey(zoomed)[48:144, 80:240])
        self.assertGreater(max(scores, key=scores.get), 1.0, scores)

    def _best_shift(self, moved, start, axis):
        """d such that moved[i] best matches start[i + d] along axis (rows 0 or columns 1), over a centre box."""
        best, best_d = -2.0, None
        for d in range(-50, 51):
            if axis == 1:
                a, b = moved[60:130, 60:260], start[60:130, 60 + d:260 + d]
            else:
                a, b = moved[60:130, 60:260], start[60 + d:130 + d, 60:260]
            score = _correlation(a, b)
            if score > best:
                best, best_d = score, d
        return best_d

    def test_yaw_right_moves_content_left(self):
        base, _ = Scene.views(Scene.rollout("right-7"), 4)  # 12 degrees
        expected = 160 * math.tan(math.radians(12))  # focal length in pixels * tan
        shift = self._best_shift(_grey(base), _grey(Scene.image[0]), axis=1)
        self.assertAlmostEqual(expected, shift, delta=4)

    def test_pitch_up_moves_content_down(self):
        base, _ = Scene.views(Scene.rollout("up-3"), 3)  # 9 degrees
        shift = self._best_shift(_grey(base), _grey(Scene.image[0]), axis=0)
        self.assertLess(shift, -15)  # moved[y] = start[y - 25]: content went down

    def test_strafing_right_moves_the_ground_left(self):
        base, _ = Scene.views(Scene.rollout("d-3"), 3)
        a = _grey(base)[150:190, 60:260]
        scores = {d: _correlation(a, _grey(Scene.image[0])[150:190, 60 + d:260 + d]) for d in range(-40, 41)}
        self.assertGreater(max(scores, key=scores.get), 5)

    def test_returning_to_the_start_pose_shows_the_start_view(self):
        latents = Scene.rollout("right-10, left-10, w-3")
        base, _ = Scene.views(latents, 20)  # back at the identity pose after turning 30 degrees away
        self.assertGreater(_psnr(base, Scene.image[0]), 25.0)

    def test_memory_keeps_what_was_first_seen_out_of_view(self):
        """Turn right, come back halfway: the area right of the start image must look as it did when generated."""
        latents = Scene.rollout("right-15, left-8, w-4")
        first, _ = Scene.views(latents, 8)   # 24 degrees right, on the way there
        again, _ = Scene.views(latents, 22)  # 24 degrees right, on the way back
        self.assertGreater(_psnr(again, first), 25.0)


class PromptTest(unittest.TestCase):

    def test_night_darkens_by_more_than_30_percent(self):
        _, plain = Scene.views(Scene.rollout("w-3"), 2)
        _, night = Scene.views(Scene.rollout("w-3", "it is night"), 2)
        self.assertLess(float((night + 1).mean()), 0.7 * float((plain + 1).mean()))

    def test_unknown_words_and_empty_prompts_change_nothing(self):
        latents = Scene.rollout("w-3", "a quiet walk past the oak")
        base, styled = Scene.views(latents, 2)
        self.assertTrue(torch.allclose(base, styled, atol=1e-6))

    def test_fog_greys_the_far_more_than_the_near(self):
        base, styled = Scene.views(Scene.rollout("w-3", "fog"), 0)
        grey = torch.tensor([0.78, 0.8, 0.83])[:, None, None] * 2 - 1
        far = ((styled - grey).abs()[:, 96:100].mean() / (base - grey).abs()[:, 96:100].mean())
        near = ((styled - grey).abs()[:, 185:].mean() / (base - grey).abs()[:, 185:].mean())
        self.assertLess(float(far), float(near))

    def test_stopping_words_cancel_the_effect(self):
        text = TextEncoder()
        ids, mask = tokenize("the snow stops", text.vocab, c.MAX_TOKENS)
        ids, mask = torch.tensor([ids]), torch.tensor([mask])
        self.assertEqual(0.0, float(pooled_strengths(text(ids, mask), mask.float()).abs().sum()))
        ids, mask = tokenize("It starts to SNOW!", text.vocab, c.MAX_TOKENS)
        ids, mask = torch.tensor([ids]), torch.tensor([mask])
        self.assertEqual(1.0, float(pooled_strengths(text(ids, mask), mask.float())[2]))

    def test_tokenizer_pads_and_cuts(self):
        vocab = TextEncoder().vocab
        ids, mask = tokenize("Snow, snow!", vocab, 4)
        self.assertEqual([vocab.index("snow")] * 2 + [0, 0], ids)
        self.assertEqual([1, 1, 0, 0], mask)
        self.assertEqual([1] * 4, tokenize("a b c d e f", vocab, 4)[0])


class SamplerTest(unittest.TestCase):

    def test_euler_steps_end_on_the_clean_latent(self):
        x_noise, clean = torch.randn(2, 3, 5), torch.randn(2, 3, 5)
        sigmas = torch.from_numpy(poses.sigmas(c.STEPS, c.SHIFT))
        self.assertTrue(torch.allclose(clean, euler_steps(x_noise, clean, sigmas), atol=1e-6))

    def test_intermediate_states_interpolate_noise_and_clean(self):
        x_noise, clean = torch.randn(2, 3, 5), torch.randn(2, 3, 5)
        sigmas = torch.tensor([1.0, 0.9375, 0.833333, 0.625, 0.3])  # stops short of 0
        state = euler_steps(x_noise, clean, sigmas)
        self.assertTrue(torch.allclose(0.3 * x_noise + 0.7 * clean, state, atol=1e-5))
        self.assertGreater(float((state - clean).abs().max()), 0.1)

    def test_chunk_output_is_the_geometric_prediction(self):
        module, args = build.example_inputs()["dit_chunk"]
        with torch.no_grad():
            out = module(*args)
            a = list(args)
            clean = module.predict_clean(a[0], a[1], a[2], a[4], a[5], a[6] / a[13][0], a[7], a[8], a[11],
                                         a[12], a[15], a[16])
        self.assertTrue(torch.allclose(clean, out, atol=1e-5))

    def test_noise_shapes_what_no_view_has_seen_and_only_that(self):
        one = Scene.rollout("right-3", seed=1)
        two = Scene.rollout("right-3", seed=2)
        base_one, _ = Scene.views(one, 3)
        base_two, _ = Scene.views(two, 3)
        # Turning reveals the right edge and the corners beside it; the middle still shows the start image.
        self.assertTrue(torch.allclose(base_one[:, 40:150, :200], base_two[:, 40:150, :200], atol=1e-5))
        self.assertGreater(float((base_one[:, :, 300:] - base_two[:, :, 300:]).abs().max()), 0.01)
        self.assertTrue(torch.equal(one, Scene.rollout("right-3", seed=1)))


class DecoderTest(unittest.TestCase):

    def test_frames_blend_from_latent_to_latent(self):
        latents = torch.rand(1, c.CHANNELS, 4, 12, 20) * 2 - 1
        frames, cache = VaeDecoderFirst()(latents)
        images = [Scene.views(latents, i)[1] for i in range(4)]
        self.assertTrue(torch.equal(images[0], frames[0, :, 0]))
        self.assertTrue(torch.allclose(images[1], frames[0, :, 4], atol=1e-6))
        self.assertTrue(torch.allclose((images[0] + images[1]) / 2, frames[0, :, 2], atol=1e-6))
        self.assertTrue(torch.equal(images[3].reshape(-1), cache))
        later = torch.rand(1, c.CHANNELS, 4, 12, 20) * 2 - 1
        frames, cache_out = VaeDecoder()(later, cache)
        first_later = Scene.views(later, 0)[1]
        self.assertTrue(torch.allclose(0.75 * images[3] + 0.25 * first_later, frames[0, :, 0], atol=1e-6))
        self.assertTrue(torch.allclose(first_later, frames[0, :, 3], atol=1e-6))

    def test_encoder_then_decoder_gives_the_image_back(self):
        latent = VaeEncoder()(Scene.image)
        frames, _ = VaeDecoderFirst()(latent[:, :, None].expand(1, c.CHANNELS, 4, 12, 20))
        self.assertTrue(torch.equal(Scene.image[0], frames[0, :, 0]))


class GoldenTest(unittest.TestCase):

    def test_every_file_the_index_names_exists_with_the_contract_shape(self):
        index = json.loads((BUNDLE / "golden" / "index.json").read_text())
        self.assertEqual({"vae_encoder", "text_encoder_scene", "dit_chunk", "vae_decoder_first", "vae_decoder"},
                         {case["graph"] for case in index["cases"]})
        contexts = sorted(case["n_ctx"] for case in index["cases"] if case["graph"] == "dit_chunk")
        self.assertEqual([0, 8], contexts)
        for case in index["cases"]:
            spec = GRAPHS[case["graph"]]
            for kind in ("inputs", "outputs"):
                self.assertEqual([s["name"] for s in spec[kind]], list(case[kind]), case["name"])
                for s in spec[kind]:
                    entry = case[kind][s["name"]]
                    if isinstance(entry, str):
                        shape = np.load(BUNDLE / "golden" / entry, mmap_mode="r").shape
                        step = case["every"].get(s["name"], {})
                        expected = [n if isinstance(n, int) else shape[i] for i, n in enumerate(s["shape"])]
                        expected = [math.ceil(n / step.get(str(i), 1)) for i, n in enumerate(expected)]
                        self.assertEqual(expected, list(shape), f"{case['name']}.{s['name']}")


if __name__ == "__main__":
    unittest.main()
