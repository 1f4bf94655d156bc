"""The full-size 8B DiT: reference-tiny's WorldPlayTransformer with upstream's text inputs."""

import torch
from torch import nn

from ..reference_tiny.transformer import WorldPlayTransformer
from . import config as c
from .fused_attention import fused_attention
from .text_inputs import ByT5Mapper, SingleTokenRefiner, VisionProjection

LLM, BYT5, VISION = 0, 1, 2  # rows of cond_type_embedding


class WorldPlay8BTransformer(WorldPlayTransformer):
    """Text tokens are [SigLIP image tokens, byT5 glyph tokens, refined LLM tokens], each tagged with its
    condition type. Upstream moves padding to the end and drops it; the text stream has no positions, so masking
    the padded keys instead gives the same keys and values for every real token. The double blocks' attention
    exports as ONNX Runtime's fused MultiHeadAttention."""

    def __init__(self, depth=c.DOUBLE_BLOCKS, hidden=c.HIDDEN, heads=c.HEADS):
        self._refiner_blocks = c.REFINER_BLOCKS
        super().__init__(channels=c.CHANNELS, hidden=hidden, heads=heads, depth=depth, mlp_ratio=c.MLP_RATIO,
                         text_dim=c.LLM_DIM, rope_dims=c.ROPE_DIMS, rope_theta=c.ROPE_THETA)
        self.byt5_in = ByT5Mapper(c.BYT5_DIM, hidden, hidden, hidden)
        self.vision_in = VisionProjection(c.VISION_DIM, hidden)
        self.cond_type_embedding = nn.Embedding(3, hidden)
        for block in self.double_blocks:
            block.attend = fused_attention(heads)

    def _text_in(self, text_dim, hidden, heads):
        return SingleTokenRefiner(text_dim, hidden, heads, self._refiner_blocks)

    def forward_txt_8b(self, llm, llm_mask, byt5, byt5_mask, vision):
        """llm [N1, 3584], byt5 [N2, 1472], vision [N3, 1152] with masks [N1], [N2] -> per block (k, v), key bias."""
        kinds = self.cond_type_embedding.weight
        txt = self.txt_in(llm, llm_mask, torch.zeros(1)) + kinds[LLM]
        glyphs = self.byt5_in(byt5) + kinds[BYT5]
        image = self.vision_in(vision) + kinds[VISION]
        tokens = torch.cat([image, glyphs, txt])
        mask = torch.cat([torch.ones_like(vision[:, 0]), byt5_mask, llm_mask])
        return self.text_stream(tokens, mask)
