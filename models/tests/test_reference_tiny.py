"""reference-tiny: the properties the parity test relies on but cannot see.

Run from models/: /usr/bin/python3 -m unittest tests.test_reference_tiny
"""

import unittest

import torch

from worldexplorer_models import noise
from worldexplorer_models.reference_tiny import config as c, host
from worldexplorer_models.reference_tiny.dit_chunk import DitChunk
from worldexplorer_models.reference_tiny.text_encoder import TextEncoder
from worldexplorer_models.reference_tiny.vae import AutoencoderKLConv3D, VaeDecoderFirst, VaeDecoderLater


def dit_inputs(context=0, labels=(0, 9, 9, 9), yaw=0.0, text_tokens=4, pad=0):
    n, L = context, c.LATENTS_PER_CHUNK
    w2c = torch.eye(4).repeat(n + L, 1, 1)
    w2c[n + 1:, 0, 2], w2c[n + 1:, 2, 0] = yaw, -yaw
    k = torch.from_numpy(host.intrinsics(n + L))
    ids = torch.tensor([[5 + i for i in range(text_tokens)] + [0] * pad])
    mask = torch.tensor([[1] * text_tokens + [0] * pad])
    text = TextEncoder()(ids, mask)
    torch.manual_seed(0)
    return [torch.randn(1, c.CHANNELS, n, c.LATENT_HEIGHT, c.LATENT_WIDTH), w2c[:n], k[:n],
            torch.zeros(n, dtype=torch.int64), torch.arange(n), torch.zeros(n),
            torch.from_numpy(noise.chunk_noise(1, n, c.CHANNELS, L, c.LATENT_HEIGHT, c.LATENT_WIDTH)), w2c[n:],
            k[n:], torch.tensor(labels), torch.arange(n, n + L), torch.tensor([1.0, 0, 0, 0]),
            torch.randn(1, c.CHANNELS, c.LATENT_HEIGHT, c.LATENT_WIDTH), torch.from_numpy(host.sigmas()),
            torch.tensor([c.CONTEXT_TIMESTEP]), text, mask.float()]


class ReferenceTinyTest(unittest.TestCase):
    dit = DitChunk().eval()

    def run_dit(self, **kwargs):
        with torch.no_grad():
            return self.dit(*dit_inputs(**kwargs))

    def test_text_padding_changes_nothing_like_upstreams_removal(self):
        torch.testing.assert_close(self.run_dit(pad=0), self.run_dit(pad=7), atol=1e-6, rtol=0)

    def test_action_labels_and_cameras_change_the_chunk(self):
        base = self.run_dit()
        self.assertGreater((self.run_dit(labels=(0, 1, 1, 1)) - base).abs().max().item(), 1e-3)
        self.assertGreater((self.run_dit(yaw=0.3) - base).abs().max().item(), 1e-3)

    def test_context_changes_the_chunk(self):
        self.assertEqual(list(self.run_dit(context=4).shape), [1, c.CHANNELS, 4, c.LATENT_HEIGHT, c.LATENT_WIDTH])
        with torch.no_grad():
            inputs = dit_inputs(context=4)
            other = list(inputs)
            other[0] = inputs[0] + 1.0
            self.assertGreater((self.dit(*inputs) - self.dit(*other)).abs().max().item(), 1e-3)

    def test_streaming_decode_equals_decoding_all_latents_in_one_run(self):
        vae = AutoencoderKLConv3D().eval()
        first, later = VaeDecoderFirst(vae.decoder), VaeDecoderLater(vae.decoder)
        torch.manual_seed(1)
        latents = torch.randn(1, c.CHANNELS, 8, c.LATENT_HEIGHT, c.LATENT_WIDTH)
        with torch.no_grad():
            a, cache = first(latents[:, :, :4])
            b, _ = later(latents[:, :, 4:], cache)
            caches = [None] * 8
            whole = torch.cat([vae.decoder.step(latents[:, :, i: i + 1], caches, first=i == 0) for i in range(8)], 2)
        self.assertEqual((a.shape[2], b.shape[2]), (13, 16))
        torch.testing.assert_close(torch.cat([a, b], dim=2), whole, atol=0, rtol=0)

    def test_memory_selection_reaches_back_on_the_golden_walk(self):
        from worldexplorer_models.reference_tiny import golden
        track, selector = host.CameraTrack(), host.MemorySelector()
        steps = [action for actions in golden.WALK for action in actions][1:]  # latent 0 is the start camera
        for _, forward, right, yaw, pitch in steps:
            track.append(forward, right, yaw, pitch)
        w2c = [track.w2c(i) for i in range(len(track.c2w))]
        self.assertEqual(len(w2c), 40)
        selected, retrieved = selector.select(w2c, 32)
        self.assertEqual(selected, [4, 5, 6, 7, 28, 29, 30, 31])
        self.assertEqual(retrieved, [True] * 4 + [False] * 4)


if __name__ == "__main__":
    unittest.main()


class GoldenPromptSwitchTest(unittest.TestCase):
    """The golden rollout's prompt switch: both prompts are fully known words and the switch changes the world
    from its chunk on and not before, so the Java parity test can tell whether a switch reached the DiT."""

    def test_both_prompts_are_known_words_with_different_tokens_and_embeddings(self):
        from worldexplorer_models.reference_tiny import golden
        text = TextEncoder().eval()
        first, second = golden.encode_prompts(text, text.vocab, golden.PROMPTS)
        for prompt in (first, second):
            self.assertNotIn(1, prompt["ids"][0].tolist(), f"'{prompt['text']}' has a word outside the vocab")
            self.assertEqual(prompt["mask"][0].sum().item(), len(prompt["text"].split()))
        self.assertNotEqual(first["ids"].tolist(), second["ids"].tolist())
        self.assertGreater((first["embeddings"] - second["embeddings"]).abs().max().item(), 0.1)

    def test_the_prompt_in_effect_is_the_last_one_started(self):
        from worldexplorer_models.reference_tiny import golden
        encoded = [{"first_chunk": 0, "text": "a"}, {"first_chunk": 2, "text": "b"}, {"first_chunk": 5, "text": "c"}]
        self.assertEqual([golden.prompt_at(encoded, k)["text"] for k in range(7)], list("aabbbcc"))

    def test_the_switch_changes_the_chunks_from_its_chunk_on_only(self):
        from worldexplorer_models.reference_tiny import build, golden
        modules = build.modules()
        vocab = modules[4].vocab
        walk = golden.WALK[:golden.SWITCH_CHUNK + 1]
        _, switched, _ = golden.rollout(modules, vocab, walk=walk)
        _, plain, _ = golden.rollout(modules, vocab, prompts=golden.PROMPTS[:1], walk=walk)
        for chunk in range(golden.SWITCH_CHUNK):
            self.assertEqual(abs(switched[chunk]["latents"] - plain[chunk]["latents"]).max(), 0.0)
        change = abs(switched[golden.SWITCH_CHUNK]["latents"] - plain[golden.SWITCH_CHUNK]["latents"]).max()
        self.assertGreater(change, 100 * golden.TOLERANCE)
