"""Pose strings (`w-3, right-2`) to per-latent cameras, as the host integrates them (upstream-spec 3.2-3.3).

Used for tests, the golden files and preview renders; the Java host has its own implementation.
"""

import math

import numpy as np

from .config import CAMERA_FX, CAMERA_FY

TRANSLATION_STEP = 0.08
ROTATION_STEP_DEGREES = 3.0
# token -> (forward, right, yaw degrees, pitch degrees), label
_TOKENS = {
    "w": ((1, 0, 0, 0), 9), "s": ((-1, 0, 0, 0), 18), "d": ((0, 1, 0, 0), 27), "a": ((0, -1, 0, 0), 36),
    "right": ((0, 0, 1, 0), 1), "left": ((0, 0, -1, 0), 2), "up": ((0, 0, 0, 1), 3), "down": ((0, 0, 0, -1), 4),
}


def _rot_y(deg):
    a = math.radians(deg)
    return np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])


def _rot_x(deg):
    a = math.radians(deg)
    return np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])


def trajectory(pose_string: str):
    """Latent cameras for a pose string: w2c [N, 4, 4] float32 and labels [N] int64 (identity pose first)."""
    c2w = np.eye(4)
    poses, labels = [c2w.copy()], [0]
    for token in filter(None, (t.strip() for t in pose_string.split(","))):
        name, count = token.split("-")
        (forward, right, yaw, pitch), label = _TOKENS[name]
        for _ in range(int(float(count))):
            rotation = c2w[:3, :3] @ _rot_y(yaw * ROTATION_STEP_DEGREES) @ _rot_x(pitch * ROTATION_STEP_DEGREES)
            c2w[:3, :3] = rotation
            c2w[:3, 3] += rotation @ np.array([0.0, 0.0, forward * TRANSLATION_STEP])
            c2w[:3, 3] += rotation @ np.array([right * TRANSLATION_STEP, 0.0, 0.0])
            poses.append(c2w.copy())
            labels.append(label)
    w2c = np.stack([np.linalg.inv(p) for p in poses]).astype(np.float32)
    return w2c, np.array(labels, dtype=np.int64)


def intrinsics(count: int):
    """The default normalised intrinsics, [count, 3, 3] float32."""
    k = np.array([[CAMERA_FX, 0, 0.5], [0, CAMERA_FY, 0.5], [0, 0, 1]], dtype=np.float32)
    return np.repeat(k[None], count, axis=0)


def sigmas(steps: int, shift: float):
    """The host's shifted flow-matching sigmas (docs/bundle-format.md), float32 [steps + 1]."""
    u = 1.0 - np.arange(steps + 1) / steps
    return (shift * u / (1.0 + (shift - 1.0) * u)).astype(np.float32)
