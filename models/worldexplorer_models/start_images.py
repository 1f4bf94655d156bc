"""Procedural start images: a small ray-traced meadow (ground, path, trees, rocks, hills, sky).

Rendered with the reference-scene camera (90 degrees across, horizon at mid-height, eye 1 unit above the ground)
so that the bundle's scene proxy fits it. Every value comes from the code below; nothing is downloaded.
"""

import math

import numpy as np

WIDTH, HEIGHT, SUPERSAMPLE = 320, 192, 3
FX, FY = 0.5, 0.5 * WIDTH / HEIGHT
SUN = np.array([-0.45, -0.55, 0.7]) / np.linalg.norm([-0.45, -0.55, 0.7])  # toward the sun: left, up, ahead


def _value_noise(x, y, seed):
    """Smooth value noise on the integer lattice (hash-based, deterministic)."""
    def hashed(ix, iy):
        h = (ix * 374761393 + iy * 668265263 + seed * 982451653) & 0xFFFFFFFF
        h = ((h ^ (h >> 13)) * 1274126177) & 0xFFFFFFFF
        return (h & 0xFFFF) / 65535.0
    ix, iy = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    fx, fy = x - ix, y - iy
    fx, fy = fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy)
    a, b = hashed(ix, iy), hashed(ix + 1, iy)
    c, d = hashed(ix, iy + 1), hashed(ix + 1, iy + 1)
    return (a + (b - a) * fx) + ((c + (d - c) * fx) - (a + (b - a) * fx)) * fy


def _fbm(x, y, seed, octaves=4):
    total, amplitude = 0.0, 0.5
    for o in range(octaves):
        total = total + amplitude * _value_noise(x * 2 ** o, y * 2 ** o, seed + o)
        amplitude *= 0.5
    return total


def _spheres():
    """(centre, radii, colour, kind) of tree crowns (ellipsoids), rocks and a few bushes."""
    items = []
    trees = [(-2.6, 4.5, 1.0), (3.0, 6.0, 1.2), (-4.5, 7.5, 1.3), (1.9, 3.4, 0.8), (5.5, 4.0, 1.1),
             (-1.2, 7.6, 1.0), (-6.0, 3.2, 1.1), (6.8, 7.2, 1.3), (0.8, 8.5, 1.2), (-3.4, 2.4, 0.7)]
    for x, z, s in trees:
        items.append(((x, 1.0 - 1.6 * s, z), (0.55 * s, 0.95 * s, 0.55 * s), (0.16, 0.36, 0.12), "crown"))
    rocks = [(0.9, 2.2, 0.25), (-1.1, 3.0, 0.35), (2.4, 5.0, 0.4), (-0.6, 5.6, 0.3), (3.6, 2.8, 0.3)]
    for x, z, r in rocks:
        items.append(((x, 1.0 + 0.3 * r, z), (1.2 * r, r, r), (0.5, 0.48, 0.45), "rock"))
    return items


def _trunks():
    return [((x, z), 0.08 * s, 1.0 - 1.0 * s) for (x, z, s) in
            [(-2.6, 4.5, 1.0), (3.0, 6.0, 1.2), (-4.5, 7.5, 1.3), (1.9, 3.4, 0.8), (5.5, 4.0, 1.1),
             (-1.2, 7.6, 1.0), (-6.0, 3.2, 1.1), (6.8, 7.2, 1.3), (0.8, 8.5, 1.2), (-3.4, 2.4, 0.7)]]


def _hit_ellipsoids(origin, dirs, items):
    """Nearest hit over ellipsoids: distance [N] (inf if none) and the item index [N]."""
    best = np.full(dirs.shape[0], np.inf)
    which = np.full(dirs.shape[0], -1)
    for i, (centre, radii, _, _) in enumerate(items):
        r = np.array(radii)
        o = (origin - np.array(centre)) / r
        d = dirs / r
        a = (d * d).sum(1)
        b = (o * d).sum(-1)
        c = (o * o).sum() - 1.0
        disc = b * b - a * c
        t = np.where(disc > 0, (-b - np.sqrt(np.maximum(disc, 0))) / a, np.inf)
        t = np.where(t > 1e-3, t, np.inf)
        closer = t < best
        best, which = np.where(closer, t, best), np.where(closer, i, which)
    return best, which


def _hit_trunks(origin, dirs):
    best = np.full(dirs.shape[0], np.inf)
    for (x, z), radius, top in _trunks():
        ox, oz = origin[..., 0] - x, origin[..., 2] - z
        dx, dz = dirs[:, 0], dirs[:, 2]
        a = dx * dx + dz * dz + 1e-12
        b = ox * dx + oz * dz
        c = ox * ox + oz * oz - radius * radius
        disc = b * b - a * c
        t = np.where(disc > 0, (-b - np.sqrt(np.maximum(disc, 0))) / a, np.inf)
        y = origin[..., 1] + t * dirs[:, 1]
        t = np.where((t > 1e-3) & (y > top) & (y < 1.0), t, np.inf)
        best = np.minimum(best, t)
    return best


def _sky(dirs):
    up = np.clip(-dirs[:, 1], 0, 1)[:, None]
    colour = np.array([0.80, 0.86, 0.92]) * (1 - up ** 0.6) + np.array([0.30, 0.50, 0.85]) * up ** 0.6
    azimuth = np.arctan2(dirs[:, 0], dirs[:, 2])
    clouds = _fbm(azimuth * 3.0, up[:, 0] * 14.0, 7)
    colour = colour + np.clip(clouds - 0.55, 0, 1)[:, None] * 1.6 * (0.95 - colour)
    glow = np.clip((dirs @ SUN), 0, 1) ** 40
    return colour + glow[:, None] * np.array([0.5, 0.45, 0.3])


def _hills(dirs):
    """Distant hills: mask [N] and colour [N, 3]."""
    azimuth = np.arctan2(dirs[:, 0], dirs[:, 2])
    elevation = -dirs[:, 1] / np.sqrt(dirs[:, 0] ** 2 + dirs[:, 2] ** 2)
    profile = 0.03 + 0.11 * _fbm(azimuth * 2.2, np.zeros_like(azimuth), 3, octaves=5)
    mask = elevation < profile
    shade = 0.8 + 0.35 * _fbm(azimuth * 9.0, elevation * 30.0, 11)
    colour = np.array([0.42, 0.52, 0.58])[None] * shade[:, None]
    return mask, colour


def _ground(points, dirs, distance):
    x, z = points[:, 0], points[:, 2]
    grass = _fbm(x * 1.3, z * 1.3, 1)
    fine = _fbm(x * 7.0, z * 7.0, 2)
    colour = np.array([0.24, 0.42, 0.13])[None] * (0.65 + 0.5 * grass[:, None] + 0.25 * fine[:, None])
    flowers = (_value_noise(x * 9.0, z * 9.0, 5) > 0.93)[:, None]
    colour = np.where(flowers, np.array([0.85, 0.8, 0.35]), colour)
    path_centre = 0.35 * np.sin(z * 0.45)
    path = np.clip(1.0 - np.abs(x - path_centre) / 0.45, 0, 1) ** 0.4 * (z > 0.2)
    dirt = np.array([0.56, 0.46, 0.32])[None] * (0.85 + 0.3 * fine[:, None])
    return colour + (dirt - colour) * np.clip(path * 1.5, 0, 1)[:, None]


def _shadowed(points, items):
    t, _ = _hit_ellipsoids(points, np.broadcast_to(SUN, points.shape).copy(), items)
    return np.isfinite(t)


def render_meadow() -> np.ndarray:
    """The meadow start image as uint8 [H, W, 3]."""
    w, h = WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE
    u = (np.arange(w) + 0.5) / w
    v = (np.arange(h) + 0.5) / h
    uu, vv = np.meshgrid(u, v)
    dirs = np.stack([(uu - 0.5) / FX, (vv - 0.5) / FY, np.ones_like(uu)], -1).reshape(-1, 3)
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    origin = np.zeros(3)
    items = _spheres()

    t_ground = np.where(dirs[:, 1] > 1e-6, 1.0 / np.maximum(dirs[:, 1], 1e-6), np.inf)
    t_items, which = _hit_ellipsoids(origin, dirs, items)
    t_trunk = _hit_trunks(origin, dirs)
    nearest = np.minimum(np.minimum(t_ground, t_items), t_trunk)

    colour = _sky(dirs)
    hill_mask, hill_colour = _hills(dirs)
    colour = np.where(hill_mask[:, None], hill_colour, colour)

    ground = np.isfinite(t_ground) & (t_ground <= nearest)
    points = dirs * np.where(np.isfinite(nearest), nearest, 0)[:, None]
    ground_colour = _ground(points, dirs, t_ground)
    lit = 1.0 - 0.45 * _shadowed(points + np.array([0, -1e-3, 0]), items)
    colour = np.where(ground[:, None], ground_colour * lit[:, None], colour)

    item = np.isfinite(t_items) & (t_items <= nearest)
    normals = np.zeros_like(dirs)
    albedo = np.zeros_like(dirs)
    for i, (centre, radii, base, kind) in enumerate(items):
        sel = item & (which == i)
        if not sel.any():
            continue
        r = np.array(radii)
        n = (points[sel] - np.array(centre)) / (r * r)
        normals[sel] = n / np.linalg.norm(n, axis=1, keepdims=True)
        detail = _fbm(points[sel, 0] * 6 + i, points[sel, 1] * 6, 4 + i)
        albedo[sel] = np.array(base) * (0.7 + 0.6 * detail[:, None])
    light = 0.35 + 0.75 * np.clip(normals @ SUN, 0, 1)
    colour = np.where(item[:, None], albedo * light[:, None], colour)

    trunk = np.isfinite(t_trunk) & (t_trunk <= nearest)
    colour = np.where(trunk[:, None], np.array([0.33, 0.24, 0.15]) * (0.8 + 0.3 * (dirs[:, 0] < 0))[:, None],
                      colour)

    haze = 1.0 - np.exp(-np.where(np.isfinite(nearest), nearest, 60.0) / 18.0)
    haze = np.where(ground | item | trunk, haze, 0.0)
    colour = colour + (np.array([0.78, 0.84, 0.9]) - colour) * haze[:, None] * 0.8

    image = colour.reshape(h, w, 3).reshape(HEIGHT, SUPERSAMPLE, WIDTH, SUPERSAMPLE, 3).mean((1, 3))
    return (np.clip(image, 0, 1) ** (1 / 1.1) * 255 + 0.5).astype(np.uint8)


IMAGES = {"meadow.png": render_meadow}
