"""Camera geometry of the scene proxy, written with ONNX-exportable torch ops.

Every position is expressed in the start camera's frame (the frame of the latent that carries the image
condition), OpenCV axes: +x right, +y down, +z forward. The proxy is a ground plane at y = GROUND_HEIGHT and a
wall at WALL_RADIUS around the viewing camera.
"""

import math

import torch

from .config import (CAMERA_FX, CAMERA_FY, FEATHER_PIXELS, GROUND_HEIGHT, VIDEO_HEIGHT, VIDEO_WIDTH,
                     WALL_RADIUS)


def rigid_inverse(m: torch.Tensor) -> torch.Tensor:
    """Inverse of rigid 4x4 transforms [..., 4, 4] (ONNX has no general matrix inverse)."""
    rt = m[..., :3, :3].transpose(-1, -2)
    t = -torch.matmul(rt, m[..., :3, 3:])
    top = torch.cat([rt, t], dim=-1)
    return torch.cat([top, m[..., 3:, :]], dim=-2)  # the homogeneous row [0, 0, 0, 1] stays


def start_camera(context_w2c, context_mask, chunk_w2c, chunk_mask):
    """World-to-camera of the latent flagged by a condition mask; identity when none is flagged."""
    weight = context_mask.sum() + chunk_mask.sum()
    flagged = ((context_mask[:, None, None] * context_w2c).sum(0)
               + (chunk_mask[:, None, None] * chunk_w2c).sum(0))
    identity = torch.eye(4, dtype=chunk_w2c.dtype)
    return (flagged + torch.relu(1.0 - weight) * identity) / torch.clamp(weight, min=1.0)


def start_intrinsics(context_k, context_mask, chunk_k, chunk_mask):
    """Intrinsics of the flagged latent; the default camera when none is flagged."""
    weight = context_mask.sum() + chunk_mask.sum()
    flagged = ((context_mask[:, None, None] * context_k).sum(0)
               + (chunk_mask[:, None, None] * chunk_k).sum(0))
    default = torch.tensor([[CAMERA_FX, 0.0, 0.5], [0.0, CAMERA_FY, 0.5], [0.0, 0.0, 1.0]])
    return (flagged + torch.relu(1.0 - weight) * default) / torch.clamp(weight, min=1.0)


def pixel_centres(stride: int):
    """Normalised u of the block centres of one row [cols] and v of one column [rows], blocks stride x stride."""
    cols = VIDEO_WIDTH // stride
    rows = VIDEO_HEIGHT // stride
    return (torch.arange(cols, dtype=torch.float32) + 0.5) / cols, (torch.arange(rows, dtype=torch.float32) + 0.5) / rows


def cast_rays(c2w: torch.Tensor, k: torch.Tensor, u: torch.Tensor, v: torch.Tensor):
    """Rays through the pixel grid v x u (row-major) of T cameras: origins [T, 3, 1], unit directions [T, 3, P].

    Built by broadcasting a row and a column, so the graph holds no per-pixel constants.
    """
    x = ((u[None, :] - k[:, 0, 2:3]) / k[:, 0, 0:1])[:, None, None, :]
    y = ((v[None, :] - k[:, 1, 2:3]) / k[:, 1, 1:2])[:, None, :, None]
    r = c2w[:, :3, :3]
    dirs = r[:, :, 0, None, None] * x + r[:, :, 1, None, None] * y + r[:, :, 2, None, None]
    dirs = dirs.reshape(dirs.shape[0], 3, -1)
    dirs = dirs / torch.sqrt((dirs * dirs).sum(1, keepdim=True))
    return c2w[:, :3, 3:], dirs


def hit_proxy(origins: torch.Tensor, dirs: torch.Tensor):
    """Distance along each ray to the proxy [T, P], whether it hit the ground [T, P], and the points [T, 3, P]."""
    dy = dirs[:, 1]
    to_ground = (GROUND_HEIGHT - origins[:, 1]) / torch.clamp(dy, min=1e-4)
    on_ground = (dy > 1e-4) & (to_ground > 1e-2) & (to_ground < WALL_RADIUS)
    depth = WALL_RADIUS + on_ground.to(dirs.dtype) * (to_ground - WALL_RADIUS)
    return depth, on_ground, origins + depth[:, None, :] * dirs


def project(points: torch.Tensor, w2c: torch.Tensor, k: torch.Tensor):
    """Points [T, 3, P] seen by S cameras per target (w2c [T, S, 4, 4], k [T, S, 3, 3]): u, v, z, each [T, S, P]."""
    p = torch.matmul(w2c[:, :, :3, :3], points[:, None]) + w2c[:, :, :3, 3:]
    z = p[:, :, 2]
    safe_z = torch.clamp(z, min=1e-3)  # behind the camera: coverage() drops these points
    u = k[:, :, 0, 0:1] * p[:, :, 0] / safe_z + k[:, :, 0, 2:3]
    v = k[:, :, 1, 1:2] * p[:, :, 1] / safe_z + k[:, :, 1, 2:3]
    return u, v, z


def coverage(u: torch.Tensor, v: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """1 on a view's pixels, fading to 0 over FEATHER_PIXELS beyond its border, 0 behind the camera.

    The fade lies outside the view (sampling clamps to the edge pixels there), so a view seen exactly in frame
    keeps full weight up to its edges, and a border inside the target blends softly into what lies beyond.
    """
    across = torch.clamp(1.0 + (torch.minimum(u, 1.0 - u) * VIDEO_WIDTH - 0.5) / FEATHER_PIXELS, 0.0, 1.0)
    down = torch.clamp(1.0 + (torch.minimum(v, 1.0 - v) * VIDEO_HEIGHT - 0.5) / FEATHER_PIXELS, 0.0, 1.0)
    return across * down * (z > 0.05).to(u.dtype)


def atan2(y: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """atan2 by the half-angle formula (aten::atan2 has no ONNX export)."""
    r = torch.sqrt(x * x + y * y)
    return 2.0 * torch.atan(y / (r + x + 1e-6))


def panorama_coords(points: torch.Tensor, k_start: torch.Tensor):
    """Where the fill for a point comes from in the start image, for points no view sees.

    Inside the start view's horizontal extent this is the ordinary projection; beyond it the image continues as a
    cylinder that mirrors at every edge, so turning around shows mirrored scenery and the horizon stays put.
    Below the image the bottom 40% (the ground) mirrors back and forth; above it the top row stretches, and
    `above` (0 at the top edge, 1 a twelfth of the image height higher) says how much to blur it there.
    """
    x, y, z = points[:, 0], points[:, 1], points[:, 2]
    fx, fy = k_start[0, 0], k_start[1, 1]
    half_fov = torch.atan(0.5 / fx)
    azimuth = atan2(x, z)
    ground_distance = torch.sqrt(x * x + z * z) + 1e-6
    u = 0.5 + 0.5 * azimuth / half_fov
    v = 0.5 + fy * (y / ground_distance) / torch.cos(torch.clamp(torch.abs(azimuth), max=half_fov))
    u = 1.0 - torch.abs(torch.remainder(u, 2.0) - 1.0)
    below = torch.clamp(v - 1.0, min=0.0)
    mirrored = 1.0 - (0.4 - torch.abs(torch.remainder(below, 0.8) - 0.4))
    above = torch.clamp(-12.0 * v, 0.0, 1.0)
    v = torch.where(v > 1.0, mirrored, torch.clamp(v, min=0.0))
    return u, v, above


def to_grid(u: torch.Tensor, v: torch.Tensor, rows: int, cols: int) -> torch.Tensor:
    """Normalised coordinates [B, P] -> a grid_sample grid [B, rows, cols, 2] (align_corners=False)."""
    return torch.stack([2.0 * u - 1.0, 2.0 * v - 1.0], dim=-1).reshape(-1, rows, cols, 2)


DEGREES = math.pi / 180.0
