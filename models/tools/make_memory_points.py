"""Writes the shared Monte-Carlo points used by memory retrieval (view-overlap scoring).

50,000 points uniform in a ball of radius 8, as little-endian float32 triples (x, y, z), 600,000 bytes.
Java (org.worldexplorer.runtime.memory.MonteCarloPoints) and the Python golden writer both read this file,
so retrieval is deterministic and identical on both sides. Run once; the output is committed.

    /usr/bin/python3 models/tools/make_memory_points.py
"""
import pathlib

import numpy as np

POINT_COUNT = 50_000
RADIUS = 8.0
SEED = 20_240_607
OUTPUT = (pathlib.Path(__file__).resolve().parents[2]
          / "runtime/src/main/resources/org/worldexplorer/runtime/memory/mc_points_50000.f32")


def points_in_ball(count: int, radius: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    u_radius, u_phi, u_theta = rng.random((3, count))
    # Cube root of a uniform radius fraction makes the density uniform in volume, not in radius.
    r = radius * np.cbrt(u_radius)
    phi = 2.0 * np.pi * u_phi
    theta = np.arccos(1.0 - 2.0 * u_theta)
    xyz = np.stack([r * np.sin(theta) * np.cos(phi),
                    r * np.sin(theta) * np.sin(phi),
                    r * np.cos(theta)], axis=1)
    return xyz.astype("<f4")


def main() -> None:
    points = points_in_ball(POINT_COUNT, RADIUS, SEED)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(points.tobytes())
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
