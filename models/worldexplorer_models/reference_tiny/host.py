"""The host's side of a rollout, as the Java runtime computes it: camera track, discrete labels, memory
selection and temporal RoPE positions (upstream-spec sections 3-6). Used to write the golden rollout.

Poses are integrated in double precision and stored as float32 world-to-camera matrices (CameraTrack). Memory
selection scores candidates by exact view-overlap counts over the shared Monte-Carlo points, which ranks them as
upstream's mean distance does, ties going to the earlier chunk.
"""

import math
import pathlib

import numpy as np

from . import config as c

POINTS = (pathlib.Path(__file__).resolve().parents[3]
          / "runtime/src/main/resources/org/worldexplorer/runtime/memory/mc_points_50000.f32")


def _rot_y(radians):
    s, co = math.sin(radians), math.cos(radians)
    return np.array([[co, 0, s, 0], [0, 1, 0, 0], [-s, 0, co, 0], [0, 0, 0, 1]])


def _rot_x(radians):
    s, co = math.sin(radians), math.cos(radians)
    return np.array([[1, 0, 0, 0], [0, co, -s, 0], [0, s, co, 0], [0, 0, 0, 1]])


def _translate(x, y, z):
    m = np.eye(4)
    m[:3, 3] = (x, y, z)
    return m


class CameraTrack:
    """Camera-to-world poses per latent (latent 0 is the identity); each step rotates by yaw about the camera's
    own y axis, then pitch about its x axis, then moves (right, 0, forward) in the rotated frame."""

    def __init__(self):
        self.pose = np.eye(4)
        self.c2w = [self.pose.copy()]

    def append(self, forward, right, yaw_degrees, pitch_degrees):
        f, r, y, p = (float(np.float32(v)) for v in (forward, right, yaw_degrees, pitch_degrees))
        self.pose = self.pose @ _rot_y(math.radians(y)) @ _rot_x(math.radians(p)) @ _translate(r, 0.0, f)
        self.c2w.append(self.pose.copy())

    def w2c(self, latent):
        pose = self.c2w[latent]
        rt = pose[:3, :3].T
        inverse = np.eye(4)
        inverse[:3, :3] = rt
        inverse[:3, 3] = -rt @ pose[:3, 3]
        return inverse.astype(np.float32)


def label(previous_c2w, current_c2w, translation_threshold=1e-4, rotation_threshold_degrees=0.05):
    """The 81-class discrete action of a step (upstream-spec 4.1): 9 * translation class + rotation class."""
    relative = np.linalg.inv(previous_c2w) @ current_c2w
    t = relative[:3, 3]
    forward = back = right = left = False
    norm = np.linalg.norm(t)
    if norm > translation_threshold:
        unit = t / norm
        angle_z = math.degrees(math.acos(max(-1.0, min(1.0, unit[2]))))
        angle_x = math.degrees(math.acos(max(-1.0, min(1.0, unit[0]))))
        forward, back = angle_z < 60, angle_z > 120
        right, left = angle_x < 60, angle_x > 120
    r = relative[:3, :3]
    beta = math.degrees(math.atan2(-r[2, 0], math.hypot(r[0, 0], r[1, 0])))
    alpha = math.degrees(math.atan2(r[2, 1], r[2, 2]))
    yaw_right, yaw_left = beta > rotation_threshold_degrees, beta < -rotation_threshold_degrees
    up, down = alpha > rotation_threshold_degrees, alpha < -rotation_threshold_degrees
    return 9 * _class(forward, back, right, left) + _class(yaw_right, yaw_left, up, down)


def _class(a, b, c_, d):
    """One-hot pairs (a/b exclusive, c/d exclusive) -> 0..8 as the label table orders them."""
    table = {(0, 0): 0, (1, 0): 1, (2, 0): 2, (0, 1): 3, (0, 2): 4, (1, 1): 5, (1, 2): 6, (2, 1): 7, (2, 2): 8}
    first = 1 if a else 2 if b else 0
    second = 1 if c_ else 2 if d else 0
    return table[(first, second)]


class MemorySelector:
    """Reconstituted context memory of one manifest (upstream-spec section 5)."""

    def __init__(self, context=c.CONTEXT_LATENTS, temporal=c.TEMPORAL_LATENTS, forced=c.ALWAYS_INCLUDED,
                 stride=c.CANDIDATE_STRIDE, chunk=c.LATENTS_PER_CHUNK, fov=c.FOV_DEGREES, radius=c.MEMORY_RADIUS):
        self.context, self.temporal, self.forced = context, temporal, list(forced)
        self.stride, self.chunk, self.radius = stride, chunk, radius
        # Candidates start after the forced latents' chunk (8B: chunk 0 is forced, candidates from 4); with
        # nothing forced, chunk 0 is a candidate like any other (5B).
        self.first = 0 if not self.forced else (max(self.forced) // stride + 1) * stride
        self.all_below = context + 1
        self.half_h, self.half_v = fov[0] / 2.0, fov[1] / 2.0
        points = np.fromfile(POINTS, dtype="<f4").reshape(-1, 3).astype(np.float64) * (radius / 8.0)
        self.points = points[self._in_view(points, 0.0, 0.0)]

    def _in_view(self, v, yaw, pitch):
        azimuth = np.degrees(np.arctan2(v[:, 0], v[:, 2]))
        elevation = np.degrees(np.arctan2(v[:, 1], np.sqrt(v[:, 0] ** 2 + v[:, 2] ** 2)))
        wrap = lambda a: np.remainder(a + 180.0, 360.0) - 180.0
        return (np.abs(wrap(azimuth - yaw)) < self.half_h) & (np.abs(wrap(elevation - pitch)) < self.half_v)

    def overlap(self, query_w2c, history_w2c):
        """Query-view points the history camera also sees (the similarity's numerator)."""
        relative = history_w2c.astype(np.float64) @ np.linalg.inv(query_w2c.astype(np.float64))
        rotation, translation = relative[:3, :3], relative[:3, 3]
        centre = -rotation.T @ translation
        forward = rotation[2]
        yaw = math.degrees(math.atan2(forward[0], forward[2]))
        pitch = math.degrees(math.atan2(forward[1], math.hypot(forward[0], forward[2])))
        v = self.points - centre
        seen = self._in_view(v, yaw, pitch) & (np.sqrt((v ** 2).sum(axis=1)) < self.radius)
        return int(seen.sum())

    def select(self, w2c, start):
        """Selected latents (ascending) and, per latent, whether only spatial retrieval chose it."""
        if start < self.all_below:
            return list(range(start)), [False] * start
        plain = set(f for f in self.forced if f < start) | set(range(max(0, start - self.temporal), start))
        queries = range(start, min(start + self.chunk, len(w2c)))
        scored = []
        for h in range(self.first, start - self.temporal, self.stride):
            total = sum(self.overlap(w2c[q], w2c[h]) + self.overlap(w2c[q], w2c[h + self.chunk // 2])
                        for q in queries)
            scored.append((-total, h))
        scored.sort()
        slots = (self.context - self.temporal - len(self.forced)) // self.chunk
        chosen = set()
        for _, h in scored[:slots]:
            chosen |= set(range(h, min(h + self.chunk, start)))
        selected = sorted(plain | chosen)
        return selected, [i not in plain for i in selected]


def rope_positions(context_count, chunk_latents=c.LATENTS_PER_CHUNK):
    """Temporal RoPE positions: context 0..n-1 (gaps ignored), chunk n..n+L-1."""
    return list(range(context_count)), list(range(context_count, context_count + chunk_latents))


def sigmas(steps=c.STEPS, shift=c.SHIFT):
    u = 1.0 - np.arange(steps + 1) / steps
    return (shift * u / (1.0 + (shift - 1.0) * u)).astype(np.float32)


def intrinsics(count, fx=c.CAMERA_FX, fy=c.CAMERA_FY):
    k = np.array([[fx, 0, 0.5], [0, fy, 0.5], [0, 0, 1]], dtype=np.float32)
    return np.repeat(k[None], count, axis=0)
