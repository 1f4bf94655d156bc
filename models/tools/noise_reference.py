#!/usr/bin/env python3
"""Seeded chunk noise, the Python twin of the runtime's SeededNoise (spec in docs/bundle-format.md).

Counter-based: the value of (seed, absolute latent index, element) never depends on what else is generated,
so golden files and the Java runtime agree bit for bit in float32.

    python3 models/tools/noise_reference.py            # writes the golden file the Java tests read
    python3 models/tools/noise_reference.py --out F    # writes it elsewhere
"""

import argparse
import json
import math
import pathlib

import numpy as np

MASK64 = 0xFFFFFFFFFFFFFFFF
GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
LATENT_MULTIPLIER = np.uint64(0xD1B54A32D192ED03)
MIX_M1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_M2 = np.uint64(0x94D049BB133111EB)
TWO_POW_MINUS_53 = 2.0 ** -53

DEFAULT_OUT = (pathlib.Path(__file__).resolve().parents[2] / "runtime" / "src" / "test" / "resources" / "org"
               / "worldexplorer" / "runtime" / "sampling" / "noise_golden.json")


def mix(z):
    """SplitMix64 finaliser on uint64 values (numpy integer arithmetic wraps modulo 2^64)."""
    z = z ^ (z >> np.uint64(30))
    z = z * MIX_M1
    z = z ^ (z >> np.uint64(27))
    z = z * MIX_M2
    return z ^ (z >> np.uint64(31))


def words(seed, latents, elements):
    """word(seed, latent, element, k) for k = 0, 1; latents and elements broadcast against each other."""
    seed = np.uint64(seed & MASK64)
    with np.errstate(over="ignore"):  # wrapping modulo 2^64 is the point
        return _words(seed, latents, elements)


def _words(seed, latents, elements):
    a = mix(np.asarray(seed + GOLDEN_GAMMA, dtype=np.uint64))
    b = mix(a ^ (np.asarray(latents, dtype=np.uint64) * LATENT_MULTIPLIER))
    counter = np.asarray(elements, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    w0 = mix(b + counter * GOLDEN_GAMMA)
    w1 = mix(b + (counter + np.uint64(1)) * GOLDEN_GAMMA)
    return w0, w1


def gaussian(w0, w1):
    """Box-Muller in float64 from two words, rounded once to float32."""
    u1 = ((w0 >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * TWO_POW_MINUS_53
    u2 = (w1 >> np.uint64(11)).astype(np.float64) * TWO_POW_MINUS_53
    return (np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).astype(np.float32)


def noise_chunk(seed, first_latent, channels, latents, height, width):
    """Noise of a chunk, shape [1, C, L, h, w]; latent l is absolute latent first_latent + l."""
    c = np.arange(channels, dtype=np.uint64).reshape(channels, 1, 1, 1)
    lat = np.arange(latents, dtype=np.uint64).reshape(1, latents, 1, 1) + np.uint64(first_latent)
    y = np.arange(height, dtype=np.uint64).reshape(1, 1, height, 1)
    x = np.arange(width, dtype=np.uint64).reshape(1, 1, 1, width)
    element = (c * np.uint64(height) + y) * np.uint64(width) + x
    w0, w1 = words(seed, lat, element)
    return gaussian(w0, w1)[None]


def scalar_sample(seed, latent, element):
    """One value with Python integers and the math module: an independent check of the numpy path."""
    def m(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    a = m((seed + 0x9E3779B97F4A7C15) & MASK64)
    b = m(a ^ ((latent * 0xD1B54A32D192ED03) & MASK64))
    w0 = m((b + (2 * element + 1) * 0x9E3779B97F4A7C15) & MASK64)
    w1 = m((b + (2 * element + 2) * 0x9E3779B97F4A7C15) & MASK64)
    u1 = ((w0 >> 11) + 1) * TWO_POW_MINUS_53
    u2 = (w1 >> 11) * TWO_POW_MINUS_53
    return np.float32(math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2))


GOLDEN_CASES = [
    # seed (signed 64-bit, as Java holds it), first latent, C, L, h, w
    (123, 0, 4, 2, 3, 5),
    (123, 21599, 4, 1, 3, 5),          # the last latent of a one-hour session
    (123, 1 << 40, 2, 1, 2, 3),        # far beyond any session
    (0, 0, 2, 1, 3, 5),
    (-1, 0, 4, 1, 3, 5),
    ((1 << 63) - 1, 7, 2, 2, 2, 3),
    (-(1 << 63), 3, 2, 1, 2, 3),
    (0xDEADBEEFCAFEBABE - (1 << 64), 100, 1, 2, 3, 5),
]


def golden():
    cases = []
    for seed, first, c, lat, h, w in GOLDEN_CASES:
        values = noise_chunk(seed, first, c, lat, h, w).reshape(-1)
        for idx in (0, values.size // 2, values.size - 1):
            cc, rest = divmod(idx, lat * h * w)
            ll, elem_in_plane = divmod(rest, h * w)
            check = scalar_sample(seed & MASK64, first + ll, cc * h * w + elem_in_plane)
            assert check.view(np.uint32) == values[idx].view(np.uint32), (seed, first, idx)
        cases.append({
            "seed": seed,
            "first_latent": first,
            "channels": c,
            "latents": lat,
            "height": h,
            "width": w,
            "bits": [int(b) for b in values.view(np.uint32)],
            "values": [float(v) for v in values],
        })
    w0, w1 = words(123, np.uint64(0), np.uint64(0))
    return {
        "format": "worldexplorer-noise-golden",
        "version": 1,
        "layout": "[1, C, L, h, w] flattened; bits are the float32 values' IEEE-754 bit patterns",
        "words_seed123_latent0_element0": [format(int(w0), "016x"), format(int(w1), "016x")],
        "cases": cases,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = golden()
    # one case per line keeps the file short and its diffs readable
    cases = ",\n  ".join(json.dumps(case) for case in data.pop("cases"))
    head = json.dumps(data, indent=1)[:-2]
    args.out.write_text(head + ',\n "cases": [\n  ' + cases + "\n ]\n}\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
