"""The Qwen2.5-VL text LLM: parameter names against the fixture written from the published checkpoint, the
checkpoint check, the host's prompt text, and the module against an independent transformers-style forward."""

import hashlib
import unittest

import torch

from tests.helpers import ShapesOnly, count
from worldexplorer_models.hy_worldplay_8b.params import build_on_meta, read_fixture, shapes
from worldexplorer_models.text_qwen import prompt, synthetic, weights
from worldexplorer_models.text_qwen.config import QWEN25_VL_7B, exported_layers
from worldexplorer_models.text_qwen.model import QwenTextEncoder, RMSNorm, rotary
from worldexplorer_models.text_qwen.weights import CheckpointMismatch

TINY = QWEN25_VL_7B.with_(vocab=50, hidden=48, layers=3, heads=6, kv_heads=2, intermediate=80, rope_theta=50.0,
                          rms_eps=1e-3, mrope_section=(1, 1, 2))


class FixtureTest(unittest.TestCase):
    fixture = read_fixture("qwen25vl_7b_llm")

    def test_fixture_totals_the_published_size(self):
        # Qwen2.5-7B's language model is quoted at 7.61B parameters.
        self.assertEqual(sum(count(s) for s in self.fixture.values()), 7_615_616_512)
        self.assertEqual({n.split(".")[2] for n in self.fixture if n.startswith("model.layers.")},
                         {str(i) for i in range(28)})

    def test_published_layout_is_the_fixture(self):
        self.assertEqual(synthetic.published_shapes(QWEN25_VL_7B), self.fixture)

    def test_module_names_and_shapes_match_the_checkpoint_one_for_one(self):
        ours = {"model." + n: s for n, s in shapes(build_on_meta(lambda: QwenTextEncoder(QWEN25_VL_7B, 28))).items()}
        unused = {"model.norm.weight", "lm_head.weight"}
        self.assertEqual(sorted(set(self.fixture) - set(ours)), sorted(unused))
        self.assertEqual(sorted(set(ours) - set(self.fixture)), [])
        self.assertEqual({n: s for n, s in ours.items() if s != self.fixture[n]}, {})

    def test_default_module_stops_at_hidden_state_minus_3(self):
        self.assertEqual(exported_layers(QWEN25_VL_7B), 26)
        model = build_on_meta(lambda: QwenTextEncoder(QWEN25_VL_7B))
        self.assertEqual(len(model.layers), 26)
        self.assertTrue(all(p.is_meta for p in model.parameters()))


class CheckpointCheckTest(unittest.TestCase):
    model = build_on_meta(lambda: QwenTextEncoder(QWEN25_VL_7B))

    def test_both_layouts_are_found_and_the_unused_tensors_skipped(self):
        for layout, prefix in synthetic.LAYOUTS.items():
            fake = ShapesOnly(synthetic.published_shapes(QWEN25_VL_7B, layout=layout))
            found, skipped = weights.check(self.model, fake)
            self.assertEqual(found, prefix, layout)
            self.assertEqual(skipped, 2 * 12 + 1, f"{layout}: layers 26-27 and the final norm")

    def test_a_vision_checkpoint_is_refused_with_what_to_pass(self):
        with self.assertRaises(CheckpointMismatch) as caught:
            weights.check(self.model, ShapesOnly({"vision_model.post_layernorm.weight": (1152,)}))
        message = str(caught.exception)
        self.assertIn("neither model.language_model.embed_tokens.weight nor model.embed_tokens.weight", message)
        self.assertIn("vision_model.post_layernorm.weight", message)
        self.assertIn("text_encoder/llm", message)

    def test_message_lists_missing_and_mis_shaped_tensors(self):
        published = synthetic.published_shapes(QWEN25_VL_7B)
        del published["model.layers.3.self_attn.q_proj.bias"]
        published["model.layers.5.self_attn.k_proj.weight"] = (3584, 3584)
        with self.assertRaises(CheckpointMismatch) as caught:
            weights.check(self.model, ShapesOnly(published))
        message = str(caught.exception)
        self.assertIn("1 missing key(s):\n    model.layers.3.self_attn.q_proj.bias", message)
        self.assertIn("model.layers.5.self_attn.k_proj.weight: checkpoint [3584, 3584], model [512, 3584]", message)


class PromptTest(unittest.TestCase):
    def test_system_prompt_is_upstreams_text_character_for_character(self):
        # sha256 and length of the system content of PROMPT_TEMPLATE_ENCODE_VIDEO_JSON at upstream da2d0c2.
        text = prompt.SYSTEM_PROMPT
        self.assertEqual(len(text), 477)
        self.assertEqual(hashlib.sha256(text.encode()).hexdigest(),
                         "547f3e99c78b2d9b0786a721b726d41be95ee2f52ebf90db55f381b1511c3905")
        for item in range(1, 6):
            self.assertIn(" " * 9 + f"{item}. ", text)

    def test_chat_text_wraps_the_prompt_like_qwens_template(self):
        text = prompt.chat_text("a cat")
        self.assertEqual(text, "<|im_start|>system\n" + prompt.SYSTEM_PROMPT
                         + "<|im_end|>\n<|im_start|>user\na cat<|im_end|>\n<|im_start|>assistant\n")
        self.assertIn("<|im_start|>user\n <|im_end|>", prompt.chat_text(""))

    def test_crop_start_is_the_index_after_the_user_marker(self):
        ids = [151644, 8948, 198, 2610, 525, 151645, 198, 151644, 872, 198, 64, 8251, 151645]
        self.assertEqual(prompt.crop_start(ids), 10)
        self.assertEqual(prompt.max_tokens(10), 1010)
        with self.assertRaisesRegex(ValueError, "no '<\\|im_start\\|>user"):
            prompt.crop_start([151644, 8948, 198, 872])


def transformers_style_forward(tensors, config, layers, ids, mask, prefix="model."):
    """Qwen2.5-VL's text forward written the way transformers computes it (fp32 norms with variance, repeat_kv,
    an additive causal mask from finfo.min, and the multimodal RoPE over three equal position rows), reading the
    checkpoint's tensors by name."""
    t = lambda name: tensors[prefix + name].float()
    b, n = ids.shape
    d, heads, kv = config.head_dim, config.heads, config.kv_heads

    def norm(x, weight):
        variance = x.pow(2).mean(-1, keepdim=True)
        return weight * (x * torch.rsqrt(variance + config.rms_eps))

    inv_freq = 1.0 / (config.rope_theta ** (torch.arange(0, d, 2).float() / d))
    positions = torch.arange(n).float()[None, None, :].expand(3, b, n)
    freqs = (inv_freq[None, None, :, None] @ positions[:, :, None, :]).transpose(2, 3)
    emb = torch.cat((freqs, freqs), dim=-1)
    sections = list(config.mrope_section) * 2
    pick = lambda table: torch.cat([m[i % 3] for i, m in enumerate(table.split(sections, dim=-1))], dim=-1)
    cos, sin = pick(emb.cos())[:, None], pick(emb.sin())[:, None]
    rotate = lambda x: torch.cat((-x[..., d // 2:], x[..., :d // 2]), dim=-1)

    minimum = torch.finfo(torch.float32).min
    causal = torch.triu(torch.full((n, n), minimum), diagonal=1)
    additive = causal[None, None] + (1.0 - mask[:, None, None, :].float()) * minimum
    additive = additive.clamp(min=minimum)

    x = t("embed_tokens.weight")[ids]
    for i in range(layers):
        p = f"layers.{i}."
        h = norm(x, t(p + "input_layernorm.weight"))
        q = (h @ t(p + "self_attn.q_proj.weight").T + t(p + "self_attn.q_proj.bias")).view(b, n, heads, d)
        k = (h @ t(p + "self_attn.k_proj.weight").T + t(p + "self_attn.k_proj.bias")).view(b, n, kv, d)
        v = (h @ t(p + "self_attn.v_proj.weight").T + t(p + "self_attn.v_proj.bias")).view(b, n, kv, d)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q, k = q * cos + rotate(q) * sin, k * cos + rotate(k) * sin
        k = k.repeat_interleave(heads // kv, dim=1)
        v = v.repeat_interleave(heads // kv, dim=1)
        weights_ = torch.softmax(q @ k.transpose(2, 3) * d ** -0.5 + additive, dim=-1)
        attn = (weights_ @ v).transpose(1, 2).reshape(b, n, heads * d)
        x = x + attn @ t(p + "self_attn.o_proj.weight").T
        h = norm(x, t(p + "post_attention_layernorm.weight"))
        gate = torch.nn.functional.silu(h @ t(p + "mlp.gate_proj.weight").T)
        x = x + (gate * (h @ t(p + "mlp.up_proj.weight").T)) @ t(p + "mlp.down_proj.weight").T
    return x


class ModelTest(unittest.TestCase):
    tensors = synthetic.tensors(TINY, seed=3)

    def model(self, layers=None):
        model = QwenTextEncoder(TINY, layers)
        state = {n: self.tensors["model." + n] for n, _ in model.named_parameters()}
        model.load_state_dict(state)
        return model.eval()

    def inputs(self, n=9, padding=3, seed=1):
        ids = torch.randint(0, TINY.vocab, (1, n), generator=torch.Generator().manual_seed(seed))
        mask = torch.ones(1, n, dtype=torch.int64)
        mask[0, n - padding:] = 0
        return ids, mask

    def test_matches_the_transformers_style_forward(self):
        ids, mask = self.inputs()
        with torch.no_grad():
            ours = self.model(TINY.layers)(ids, mask)
        reference = transformers_style_forward(self.tensors, TINY, TINY.layers, ids, mask)
        torch.testing.assert_close(ours, reference, atol=2e-5, rtol=1e-5)

    def test_default_depth_is_hidden_state_minus_3(self):
        ids, mask = self.inputs()
        with torch.no_grad():
            ours = self.model()(ids, mask)
        reference = transformers_style_forward(self.tensors, TINY, TINY.layers - 2, ids, mask)
        torch.testing.assert_close(ours, reference, atol=2e-5, rtol=1e-5)

    def test_multimodal_rope_over_equal_rows_is_plain_rope(self):
        d, n = TINY.head_dim, 7
        cos, sin = rotary(n, d, TINY.rope_theta)
        inv_freq = 1.0 / (TINY.rope_theta ** (torch.arange(0, d, 2).float() / d))
        angles = torch.arange(n).float()[:, None] * inv_freq[None, :]
        torch.testing.assert_close(cos, torch.cat((angles, angles), -1).cos(), atol=0, rtol=0)
        torch.testing.assert_close(sin, torch.cat((angles, angles), -1).sin(), atol=0, rtol=0)

    def test_real_tokens_ignore_the_padding_after_them(self):
        model = self.model()
        ids, mask = self.inputs(n=6, padding=0)
        padded = torch.cat([ids, torch.tensor([[7, 7, 31, 2]])], dim=1)
        padded_mask = torch.cat([mask, torch.zeros(1, 4, dtype=torch.int64)], dim=1)
        with torch.no_grad():
            plain, longer = model(ids, mask), model(padded, padded_mask)
        torch.testing.assert_close(longer[:, :6], plain, atol=1e-6, rtol=0)
        self.assertTrue(torch.isfinite(longer).all())

    def test_attention_is_causal(self):
        model = self.model()
        ids, mask = self.inputs(n=8, padding=0)
        changed = ids.clone()
        changed[0, 5] = (ids[0, 5] + 1) % TINY.vocab
        with torch.no_grad():
            a, b = model(ids, mask), model(changed, mask)
        torch.testing.assert_close(a[:, :5], b[:, :5], atol=0, rtol=0)
        self.assertGreater((a[:, 5:] - b[:, 5:]).abs().max().item(), 1e-3)

    def test_a_prompt_of_padding_only_stays_finite(self):
        ids, _ = self.inputs(n=5, padding=0)
        with torch.no_grad():
            out = self.model()(ids, torch.zeros(1, 5, dtype=torch.int64))
        self.assertTrue(torch.isfinite(out).all())

    def test_norm_equals_the_plain_formula_on_massive_activations(self):
        norm = RMSNorm(64, 1e-6)
        x = torch.randn(3, 64, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
        x[0, 7] = 2.0e4       # Qwen's largest hidden states reach thousands in a few channels
        x[2] *= 1e-5          # a row far below sqrt(eps)
        with torch.no_grad():
            ours = norm.double()(x)
        plain = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6)
        torch.testing.assert_close(ours, plain, atol=0, rtol=1e-12)


if __name__ == "__main__":
    unittest.main()
