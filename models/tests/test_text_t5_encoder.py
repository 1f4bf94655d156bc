"""The T5 encoder module against a numpy reference written from Hugging Face's T5 / UMT5 forward (modeling_t5.py,
modeling_umt5.py, eval mode), at small sizes of both structures, and the relative-position buckets."""

import math
import unittest

import numpy as np
import torch

from worldexplorer_models.hy_worldplay_8b.params import shapes
from worldexplorer_models.text_t5 import synthetic
from worldexplorer_models.text_t5.buckets import bidirectional_bucket, bucket_table
from worldexplorer_models.text_t5.config import BYT5_GLYPH, T5Config
from worldexplorer_models.text_t5.encoder import T5Encoder, TextEncoderGraph

TINY_T5 = T5Config(vocab_size=300, d_model=48, d_kv=16, d_ff=80, num_heads=3, num_layers=3, bias_per_layer=False,
                   zero_padding=False)
TINY_UMT5 = T5Config(vocab_size=300, d_model=48, d_kv=16, d_ff=80, num_heads=3, num_layers=3, bias_per_layer=True,
                     zero_padding=True)


def _hf_bucket(distance, num_buckets=32, max_distance=128):
    """_relative_position_bucket for an encoder (bidirectional), float32 logarithm as torch computes it."""
    half = num_buckets // 2
    bucket = half if distance > 0 else 0
    n = abs(distance)
    max_exact = half // 2
    if n < max_exact:
        return bucket + n
    ratio = np.float32(np.log(np.float32(n) / np.float32(max_exact))) / np.float32(math.log(max_distance / max_exact))
    return bucket + min(max_exact + int(np.float32(ratio * np.float32(half - max_exact))), half - 1)


def hf_reference(weights, config, ids, mask):
    """last_hidden_state of T5EncoderModel (bias_per_layer False) or UMT5EncoderModel, in float64, and for UMT5 the
    Wan pipeline's zeroing of padded rows."""
    w = {k: v.double().numpy() for k, v in weights.items()}
    c = config
    n = ids.shape[1]
    buckets = np.array([[_hf_bucket(k - q) for k in range(n)] for q in range(n)])
    extended = (1.0 - mask[:, None, None, :].astype(np.float64)) * np.finfo(np.float32).min

    def norm(x, weight):
        return weight * (x / np.sqrt((x ** 2).mean(-1, keepdims=True) + c.layer_norm_epsilon))

    def heads(x):
        return x.reshape(1, n, c.num_heads, c.d_kv).transpose(0, 2, 1, 3)

    x = w["shared.weight"][ids]
    position = None
    for i in range(c.num_layers):
        p = f"encoder.block.{i}.layer."
        if c.bias_per_layer or i == 0:
            # compute_bias, then the mask is added to it (T5 reuses this sum in the later layers).
            table = w[p + "0.SelfAttention.relative_attention_bias.weight"]
            position = table[buckets].transpose(2, 0, 1)[None] + extended
        h = norm(x, w[p + "0.layer_norm.weight"])
        q, k, v = (heads(h @ w[p + f"0.SelfAttention.{m}.weight"].T) for m in "qkv")
        scores = q @ k.transpose(0, 1, 3, 2) + position
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = (scores / scores.sum(-1, keepdims=True)) @ v
        x = x + attention.transpose(0, 2, 1, 3).reshape(1, n, -1) @ w[p + "0.SelfAttention.o.weight"].T
        h = norm(x, w[p + "1.layer_norm.weight"])
        a = h @ w[p + "1.DenseReluDense.wi_0.weight"].T
        gelu = 0.5 * a * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (a + 0.044715 * a ** 3)))
        x = x + (gelu * (h @ w[p + "1.DenseReluDense.wi_1.weight"].T)) @ w[p + "1.DenseReluDense.wo.weight"].T
    out = norm(x, w["encoder.final_layer_norm.weight"])
    if c.zero_padding:
        length = int(mask.sum())
        out[:, length:] = 0.0
    return out


def _model(config, seed):
    model = T5Encoder(config)
    weights = synthetic.tensors(shapes(model), config, seed)
    model.load_state_dict(weights)
    return TextEncoderGraph(model).eval(), weights


def _inputs(config, n, real, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(3, config.vocab_size, (1, n), generator=g)
    mask = (torch.arange(n) < real).to(torch.int64)[None]
    ids[mask == 0] = 0
    return ids, mask


class BucketTest(unittest.TestCase):
    def test_known_buckets(self):
        # Exact buckets below 8 steps, logarithmic ones up to 128, keys after the query in the upper half.
        table = bucket_table(32, 128)
        expected = {0: 0, -1: 1, -7: 7, 1: 17, 7: 23, -8: 8, -11: 8, -12: 9, 12: 25, -16: 10, -32: 12, -64: 14,
                    -127: 15, -128: 15, 128: 31}
        self.assertEqual({r: int(table[r + 128]) for r in expected}, expected)

    def test_table_equals_the_reference_formula(self):
        self.assertEqual([int(b) for b in bucket_table(32, 128)], [_hf_bucket(r) for r in range(-128, 129)])

    def test_clamping_to_max_distance_changes_no_bucket(self):
        distances = torch.arange(-1000, 1001)
        clamped = bucket_table(32, 128)[torch.clamp(distances, -128, 128) + 128]
        self.assertTrue(torch.equal(bidirectional_bucket(distances, 32, 128), clamped))


class EncoderTest(unittest.TestCase):
    def _compare(self, config, seed):
        graph, weights = _model(config, seed)
        ids, mask = _inputs(config, 150, 120, seed)
        with torch.no_grad():
            ours = graph(ids, mask).double().numpy()
        reference = hf_reference(weights, config, ids.numpy(), mask.numpy())
        error = np.abs(ours - reference).max() / np.abs(reference).max()
        self.assertLess(error, 1e-5)
        return ours

    def test_shared_bias_structure_matches_t5(self):
        out = self._compare(TINY_T5, 1)
        self.assertGreater(np.abs(out[0, 120:]).min(), 0.0, "byT5 passes padded rows on as computed")

    def test_per_layer_bias_structure_matches_umt5_with_zero_padding(self):
        out = self._compare(TINY_UMT5, 2)
        self.assertTrue(np.all(out[0, 120:] == 0.0))
        self.assertGreater(np.abs(out[0, :120]).min(), 0.0)

    def test_padding_does_not_reach_real_tokens(self):
        graph, _ = _model(TINY_T5, 3)
        ids, mask = _inputs(TINY_T5, 40, 25, 3)
        other = ids.clone()
        other[0, 25:] = 7
        with torch.no_grad():
            self.assertTrue(torch.allclose(graph(ids, mask)[0, :25], graph(other, mask)[0, :25], atol=1e-6))

    def test_a_prompt_of_padding_only_stays_finite(self):
        for config in (TINY_T5, TINY_UMT5):
            graph, _ = _model(config, 4)
            with torch.no_grad():
                out = graph(torch.zeros(1, 9, dtype=torch.int64), torch.zeros(1, 9, dtype=torch.int64))
            self.assertTrue(torch.isfinite(out).all())

    def test_layer_count_outside_the_model_is_refused(self):
        with self.assertRaisesRegex(ValueError, "layers 13 must be between 1 and 12"):
            BYT5_GLYPH.with_layers(13)


if __name__ == "__main__":
    unittest.main()
