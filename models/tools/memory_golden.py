"""Golden memory selections for the Java selectors (org.worldexplorer.runtime.memory).

An independent numpy implementation of view-overlap memory retrieval (reconstituted context memory): relative
poses by matrix inverse, view tests with atan2 and wrapped degree differences, and the distance of a candidate
chunk as a float mean, stable-sorted. It reads the shared Monte-Carlo points, builds a fixed looping trajectory,
and writes the trajectory and the selections of every chunk for the 8B and 5B presets to

    runtime/src/test/resources/org/worldexplorer/runtime/memory/golden_selections.json

Run from anywhere with Debian's Python: /usr/bin/python3 models/tools/memory_golden.py
"""
import json
import math
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
POINTS = ROOT / "runtime/src/main/resources/org/worldexplorer/runtime/memory/mc_points_50000.f32"
OUTPUT = ROOT / "runtime/src/test/resources/org/worldexplorer/runtime/memory/golden_selections.json"

PRESETS = {
    # context size, temporal context, forced latents, first candidate, all history while chunk start < this
    "upstream8b": dict(context=20, temporal=12, forced=[0, 1, 2, 3], first=4, all_below=21),
    "upstream5b": dict(context=16, temporal=12, forced=[], first=0, all_below=16),
}
CHUNK = 4
HALF_H, HALF_V, RADIUS = 30.0, 17.5, 8.0
LATENTS = 360


def rot_y(deg):
    a = math.radians(deg)
    return np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])


def rot_x(deg):
    a = math.radians(deg)
    return np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])


def trajectory(count):
    """Two laps of a wobbly loop (radius about 6), a look-around at the start point, then a third lap
    in the opposite direction: many revisits from the same and from opposite directions."""
    w2c = []
    for i in range(count):
        if i < 200:
            angle = 2 * math.pi * i / 100
            heading = math.degrees(angle) + 90
            pitch = 8 * math.sin(i / 7)
            radius = 6 + 1.5 * math.sin(i / 11)
        elif i < 240:
            angle, radius, pitch = 0.0, 6.0, 0.0
            heading = 90 + 9 * (i - 200)
        else:
            angle = -2 * math.pi * (i - 240) / 120
            heading = math.degrees(angle) - 90
            pitch = -6 * math.sin(i / 5)
            radius = 5 + math.sin(i / 13)
        c2w = np.eye(4)
        c2w[:3, :3] = rot_y(heading) @ rot_x(pitch)
        c2w[:3, 3] = [radius * math.sin(angle), 0.3 * math.sin(i / 9), radius * math.cos(angle)]
        w2c.append(np.linalg.inv(c2w).astype(np.float32))
    return w2c


def in_view(v, yaw, pitch):
    azimuth = np.degrees(np.arctan2(v[:, 0], v[:, 2]))
    elevation = np.degrees(np.arctan2(v[:, 1], np.sqrt(v[:, 0] ** 2 + v[:, 2] ** 2)))
    wrap = lambda a: np.remainder(a + 180.0, 360.0) - 180.0
    return (np.abs(wrap(azimuth - yaw)) < HALF_H) & (np.abs(wrap(elevation - pitch)) < HALF_V)


def similarity(query_w2c, history_w2c, points, query_mask):
    relative = history_w2c.astype(np.float64) @ np.linalg.inv(query_w2c.astype(np.float64))
    rotation, translation = relative[:3, :3], relative[:3, 3]
    centre = -rotation.T @ translation
    forward = rotation[2]
    yaw = math.degrees(math.atan2(forward[0], forward[2]))
    pitch = math.degrees(math.atan2(forward[1], math.hypot(forward[0], forward[2])))
    seen = points[query_mask]
    v = seen - centre
    history_mask = in_view(v, yaw, pitch) & (np.sqrt((v ** 2).sum(axis=1)) < RADIUS)
    return history_mask.sum() / len(seen)


def select(w2c, c, preset, points, query_mask):
    if c < preset["all_below"]:
        return list(range(c))
    recent = range(max(0, c - preset["temporal"]), c)
    queries = range(c, min(c + CHUNK, len(w2c)))
    scored = []
    for h in range(preset["first"], c - preset["temporal"], CHUNK):
        total = 0.0
        for q in queries:
            d1 = 1.0 - similarity(w2c[q], w2c[h], points, query_mask)
            d2 = 1.0 - similarity(w2c[q], w2c[h + CHUNK // 2], points, query_mask)
            total += (d1 + d2) / 2.0
        scored.append((h, total / len(queries)))
    scored.sort(key=lambda item: item[1])
    slots = preset["context"] - preset["temporal"] - len(preset["forced"])
    memory = list(preset["forced"])
    for h, _ in scored[: slots // CHUNK]:
        memory.extend(range(h, h + CHUNK))
    return sorted(set(recent) | set(memory))


def main():
    points = np.fromfile(POINTS, dtype="<f4").reshape(-1, 3).astype(np.float64)
    query_mask = in_view(points, 0.0, 0.0)
    w2c = trajectory(LATENTS)
    golden = {
        "trajectory": "looping walk of memory_golden.py",
        "query_points": int(query_mask.sum()),
        "w2c_row_major": [[float(x) for x in m.reshape(-1)] for m in w2c],
        "chunk_latents": CHUNK,
        "selections": {},
    }
    for name, preset in PRESETS.items():
        golden["selections"][name] = {
            str(c): select(w2c, c, preset, points, query_mask) for c in range(CHUNK, LATENTS, CHUNK)
        }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
