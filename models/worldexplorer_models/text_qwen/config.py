"""Sizes of the Qwen2.5-VL-7B-Instruct language model (models/fixtures/qwen25vl_7b_llm.params cites the published
config.json), and the check of a checkpoint folder's config.json against them."""

import json
import pathlib
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class QwenConfig:
    vocab: int
    hidden: int
    layers: int                  # decoder layers in the checkpoint
    heads: int
    kv_heads: int
    intermediate: int
    rms_eps: float
    rope_theta: float
    mrope_section: tuple         # temporal, height, width pairs of rotary frequencies

    def __post_init__(self):
        if self.hidden % self.heads or self.heads % self.kv_heads:
            raise ValueError(f"{self}: hidden must split into heads, and heads into key/value groups")
        if 2 * sum(self.mrope_section) != self.head_dim:
            raise ValueError(f"{self}: the multimodal RoPE sections must cover half of head_dim {self.head_dim}")

    @property
    def head_dim(self):
        return self.hidden // self.heads

    @property
    def groups(self):
        return self.heads // self.kv_heads

    def with_(self, **changes):
        return replace(self, **changes)


QWEN25_VL_7B = QwenConfig(vocab=152064, hidden=3584, layers=28, heads=28, kv_heads=4, intermediate=18944,
                          rms_eps=1e-6, rope_theta=1_000_000.0, mrope_section=(16, 24, 24))

# Upstream takes outputs.hidden_states[-(hidden_state_skip_layer + 1)] with hidden_state_skip_layer = 2
# (hyvideo/models/text_encoders/__init__.py:477, worldplay_video_pipeline.py:2212). hidden_states holds the
# embeddings and then one entry per layer, so index -3 of 28 layers is the output of the 26th layer, before the
# final norm (apply_final_norm=False).
HIDDEN_STATE_INDEX = -3


def exported_layers(config):
    """How many decoder layers run to reach hidden state HIDDEN_STATE_INDEX."""
    return config.layers + 1 + HIDDEN_STATE_INDEX


# config.json key -> QwenConfig field; newer transformers nest the text model's keys under "text_config".
_KEYS = {"vocab_size": "vocab", "hidden_size": "hidden", "num_hidden_layers": "layers",
         "num_attention_heads": "heads", "num_key_value_heads": "kv_heads", "intermediate_size": "intermediate",
         "rms_norm_eps": "rms_eps", "rope_theta": "rope_theta"}


def check_config_json(folder, config):
    """Compare <folder>/config.json, when there is one, with `config`; raise ValueError naming every difference.
    Returns the path read, or None."""
    path = pathlib.Path(folder) / "config.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    text = dict(data, **(data.get("text_config") or {}))
    differences = []
    for key, field in _KEYS.items():
        if key in text and float(text[key]) != float(getattr(config, field)):
            differences.append(f"{key} {text[key]} (expected {getattr(config, field)})")
    rope = text.get("rope_scaling") or text.get("rope_parameters") or {}
    if "mrope_section" in rope and tuple(rope["mrope_section"]) != tuple(config.mrope_section):
        differences.append(f"mrope_section {rope['mrope_section']} (expected {list(config.mrope_section)})")
    if differences:
        raise ValueError(f"{path} describes another model: " + ", ".join(differences)
                         + "; pass the text_encoder/llm folder of HY-WorldPlay (Qwen2.5-VL-7B-Instruct)")
    return path
