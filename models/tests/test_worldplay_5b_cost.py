"""The 5B cost model (docs/performance.md) against values worked out by hand."""

import unittest

from worldexplorer_models.worldplay_5b import cost


class CostTest(unittest.TestCase):
    def test_linear_macs_per_token_per_block(self):
        # q, k, v, out, PRoPE out (5 x 3072^2), cross-attention q and out (2 x 3072^2), FFN 2 x 3072 x 14336
        self.assertEqual(cost.linear_macs_per_token(), 5 * 9_437_184 + 2 * 9_437_184 + 88_080_384)

    def test_880_tokens_per_latent_at_1280x704(self):
        self.assertEqual(cost.tokens_per_latent(1280, 704), 880)

    def test_steps_without_context_at_64x64(self):
        # 2x2 patches per latent, 4 latents: 16 queries; keys are the 16 own tokens; 512 text keys.
        macs = cost.dit_chunk_macs(64, 64, context_latents=0)
        per_block = 16 * (154_140_672 + 4 * 16 * 3072 + 2 * 512 * 3072)
        step = 16 * 192 * 3072 + 30 * per_block + 16 * 3072 * 192
        self.assertEqual(macs["denoising steps"], 4 * step)
        # The context pass still runs its one padding latent (4 tokens).
        context_block = 4 * (154_140_672 + 4 * 4 * 3072 + 2 * 512 * 3072)
        self.assertEqual(macs["context pass"], 4 * 192 * 3072 + 29 * context_block + 4 * 2 * 3072 * 3072)

    def test_full_chunk_at_1280x704_with_16_context_latents(self):
        summary = cost.summary()
        self.assertAlmostEqual(summary["tflops_by_part"]["context pass"], 296.56, delta=0.01)
        self.assertAlmostEqual(summary["tflops_by_part"]["denoising steps"], 315.61, delta=0.01)
        self.assertAlmostEqual(summary["tflops_per_chunk"], 612.78, delta=0.01)

    def test_memory_of_16_context_latents(self):
        memory = cost.memory_bytes()
        self.assertEqual(memory["context K/V (4 per block: RoPE K, V, PRoPE K, V)"], 30 * 4 * 17 * 880 * 3072 * 2)
        self.assertEqual(memory["weights"], 5_293_225_152 * 2)
        self.assertEqual(memory["text K/V"], 30 * 2 * 512 * 3072 * 2)


if __name__ == "__main__":
    unittest.main()
