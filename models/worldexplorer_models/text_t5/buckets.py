"""T5's relative-position buckets for bidirectional (encoder) attention.

The bucket of a key at distance r = key - query: half the buckets are for r > 0, half for r <= 0; within a half,
|r| < num_buckets / 4 gets its own bucket and larger |r| share logarithmically wider ones up to max_distance,
beyond which everything falls in the last bucket. The arithmetic is float32, as Hugging Face's
_relative_position_bucket computes it, so the boundaries (|r| = 16, 32, 64 at the defaults) round the same way.

Because every |r| >= max_distance lands in the same bucket, a table over r in [-max_distance, max_distance]
serves any sequence length: the graph clamps r into that range and looks the bucket up.
"""

import math
from functools import lru_cache

import torch


def bidirectional_bucket(relative_position, num_buckets, max_distance):
    """Bucket ids (int64) for an int64 tensor of key - query distances."""
    half = num_buckets // 2
    buckets = (relative_position > 0).to(torch.int64) * half
    distance = relative_position.abs()
    max_exact = half // 2
    # log(0) is -inf for r = 0; that entry is replaced by the exact branch below.
    scaled = torch.log(distance.to(torch.float32) / max_exact) / math.log(max_distance / max_exact) * (half - max_exact)
    large = torch.clamp(max_exact + scaled.to(torch.int64), max=half - 1)
    return buckets + torch.where(distance < max_exact, distance, large)


@lru_cache(maxsize=None)
def bucket_table(num_buckets, max_distance):
    """int64 [2 * max_distance + 1]: entry r + max_distance is the bucket of distance r."""
    distances = torch.arange(-max_distance, max_distance + 1, dtype=torch.int64, device="cpu")
    return bidirectional_bucket(distances, num_buckets, max_distance)


def relative_buckets(length, num_buckets, max_distance):
    """[length, length] bucket ids, row = query, column = key; traced with a dynamic length."""
    positions = torch.arange(length, dtype=torch.int64)
    distance = positions[None, :] - positions[:, None]
    index = torch.clamp(distance, -max_distance, max_distance) + max_distance
    return bucket_table(num_buckets, max_distance)[index]
