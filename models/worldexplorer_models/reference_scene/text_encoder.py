"""text_encoder_scene: token ids -> per-token effect vectors (a fixed embedding table, see effects.py)."""

import torch

from .effects import vocabulary


class TextEncoder(torch.nn.Module):
    """input_ids, attention_mask [1, n] (int64) -> embeds [1, n, DIM]; padding embeds to zeros."""

    def __init__(self):
        super().__init__()
        self.vocab, table = vocabulary()
        self.register_buffer("table", table)

    def forward(self, input_ids, attention_mask):
        ids = torch.clamp(input_ids, 0, self.table.shape[0] - 1)
        return self.table[ids] * attention_mask.to(torch.float32)[:, :, None]
