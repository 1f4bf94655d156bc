"""The host's counter-based chunk noise (docs/bundle-format.md, "Noise"), for golden inputs and previews."""

import numpy as np

_GAMMA = np.uint64(0x9E3779B97F4A7C15)


def _mix(z):
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def chunk_noise(seed: int, first_latent: int, channels: int, latents: int, height: int, width: int):
    """Noise [1, C, L, h, w] float32 of the chunk that starts at absolute latent first_latent."""
    with np.errstate(over="ignore"):  # arithmetic is modulo 2^64 by definition
        a = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF) + _GAMMA)
        latent = (np.arange(latents, dtype=np.uint64) + np.uint64(first_latent))[None, :, None]
        b = _mix(a ^ (latent * np.uint64(0xD1B54A32D192ED03)))
        element = np.arange(channels * height * width, dtype=np.uint64).reshape(channels, 1, height * width)
        w0 = _mix(b + (np.uint64(2) * element + np.uint64(1)) * _GAMMA)
        w1 = _mix(b + (np.uint64(2) * element + np.uint64(2)) * _GAMMA)
    u1 = ((w0 >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * 2.0 ** -53
    u2 = (w1 >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    values = (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).astype(np.float32)
    return values.reshape(1, channels, latents, height, width)
