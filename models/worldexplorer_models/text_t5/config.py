"""Sizes of the two published T5-family encoders, and the switches that tell them apart."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class T5Config:
    """One T5 encoder. Field names follow Hugging Face's T5Config / UMT5Config.

    bias_per_layer: UMT5 gives every layer its own relative-position bias table; T5 v1.1 and byT5 keep one table
    in block 0 and reuse its bias in every layer.
    zero_padding: the embeddings of padded tokens leave the graph as zeros (Wan's pipeline cuts them off and pads
    with zeros); otherwise they are the encoder's raw output, as upstream's byT5 path passes them on.
    """

    vocab_size: int
    d_model: int
    d_kv: int
    d_ff: int
    num_heads: int
    num_layers: int
    bias_per_layer: bool
    zero_padding: bool
    relative_attention_num_buckets: int = 32
    relative_attention_max_distance: int = 128
    layer_norm_epsilon: float = 1e-6

    @property
    def inner_dim(self):
        return self.num_heads * self.d_kv

    def with_layers(self, layers):
        if not 1 <= layers <= self.num_layers:
            raise ValueError(f"layers {layers} must be between 1 and {self.num_layers}")
        return replace(self, num_layers=layers)


# google/byt5-small's config.json (d_model 1472, d_kv 64, d_ff 3584, 6 heads, 12 encoder layers, gated-gelu,
# 32 buckets, max distance 128, eps 1e-6, vocab 384), with Glyph-SDXL-v2's vocabulary: upstream adds 138 colour
# and 988 font tokens to the tokenizer and resizes the embedding to len(tokenizer) = 384 + 138 + 988 = 1510
# (hyvideo/models/text_encoders/byT5/__init__.py:89-131, called with special_token, color and font on at :55-63).
BYT5_GLYPH = T5Config(vocab_size=1510, d_model=1472, d_kv=64, d_ff=3584, num_heads=6, num_layers=12,
                      bias_per_layer=False, zero_padding=False)

# Wan2.2-TI2V-5B-Diffusers text_encoder/config.json (google/umt5-xxl): UMT5EncoderModel, d_model 4096, d_kv 64,
# d_ff 10240, 64 heads, 24 layers, gated-gelu, 32 buckets, max distance 128, eps 1e-6, vocab 256384.
UMT5_XXL = T5Config(vocab_size=256384, d_model=4096, d_kv=64, d_ff=10240, num_heads=64, num_layers=24,
                    bias_per_layer=True, zero_padding=True)

VARIANTS = {"byt5": BYT5_GLYPH, "umt5": UMT5_XXL}

# Token counts upstream pads to: byt5_max_length=256 (hyvideo/pipelines/worldplay_video_pipeline.py:120) and
# max_sequence_length=512 (wan/inference/pipeline_wan_w_mem_relative_rope.py:494).
UPSTREAM_MAX_TOKENS = {"byt5": 256, "umt5": 512}
