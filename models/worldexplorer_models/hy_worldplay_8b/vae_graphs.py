"""The bundle's three VAE graphs around the 8B VAE modules, and their signatures (docs/bundle-format.md).

The decoder graphs are plans: small pieces (split the latents, read the flat cache, one decoder step, write the
outputs) wired in order. PyTorch runs a plan directly (the reference); the exporter traces each distinct piece
once and stitches the plan's copies into one ONNX graph, so four decoder steps cost one trace.

The decoder cache crosses the graph boundary as one flat tensor: the 40 conv caches of vae.Decoder.cache_shapes,
each flattened, back to back in the order the convs run. Every cache holds a fixed number of values per latent
pixel, so the flat tensor read as [values per latent pixel, h * w] splits into the caches by constant row counts,
whatever the video size.
"""

import torch
from torch import nn

from . import config as c
from .vae_layers import ConvCaches

LATENTS_PER_CALL = c.LATENTS_PER_CHUNK


def _t(name, shape):
    return {"name": name, "dtype": "float32", "shape": list(shape)}


def latent_grid(width, height, cfg):
    """(latent columns, rows) of a width x height video."""
    if width <= 0 or height <= 0 or width % cfg.spatial or height % cfg.spatial:
        raise ValueError(f"video size {width}x{height} must be positive multiples of {cfg.spatial}")
    return width // cfg.spatial, height // cfg.spatial


def rows_per_pixel(decoder):
    """Cache values per latent pixel, one entry per conv: channels x 2 steps x (its scale)^2."""
    return [ch * steps * hh * ww for (_, ch, steps, hh, ww) in decoder.cache_shapes(1, 1)]


def cache_size(decoder, width, height):
    """Z, the flat decoder cache's length, for a video of width x height."""
    w, h = latent_grid(width, height, decoder.cfg)
    return sum(rows_per_pixel(decoder)) * h * w


def signatures(decoder, width, height):
    """{graph key: {"file", "inputs", "outputs"}} with the contract's names, dtypes and fixed sizes."""
    cfg = decoder.cfg
    w, h = latent_grid(width, height, cfg)
    C, L, T = cfg.latent_channels, LATENTS_PER_CALL, cfg.temporal
    Z = cache_size(decoder, width, height)
    latents = _t("latents", [1, C, L, h, w])
    return {
        "vae_encoder": {"file": "vae_encoder.onnx", "inputs": [_t("image", [1, 3, height, width])],
                        "outputs": [_t("image_latent", [1, C, h, w])]},
        "vae_decoder_first": {"file": "vae_decoder_first.onnx", "inputs": [latents],
                              "outputs": [_t("frames", [1, 3, 1 + T * (L - 1), height, width]),
                                          _t("cache_out", [Z])]},
        "vae_decoder": {"file": "vae_decoder.onnx", "inputs": [latents, _t("cache_in", [Z])],
                        "outputs": [_t("frames", [1, 3, T * L, height, width]), _t("cache_out", [Z])]},
    }


class VaeEncoderGraph(nn.Module):
    """image [1, 3, H, W] in [-1, 1] -> the posterior's mode x scaling factor, [1, C, h, w] (upstream's
    encode(...).latent_dist.mode() * scaling_factor, worldplay_video_pipeline.py:946-950)."""

    def __init__(self, encoder, cfg):
        super().__init__()
        self.encoder = encoder
        self.channels = cfg.latent_channels
        self.scaling_factor = cfg.scaling_factor

    def forward(self, image):
        moments = self.encoder(image.unsqueeze(2))
        return moments[:, : self.channels, 0] * self.scaling_factor


class SplitLatents(nn.Module):
    """latents [1, C, L, h, w] -> L latents [1, C, 1, h, w]."""

    def forward(self, latents):
        return tuple(latents[:, :, i: i + 1] for i in range(LATENTS_PER_CALL))


class ReadCache(nn.Module):
    """The flat cache and the chunk's latents (for h and w only) -> the 40 conv caches."""

    def __init__(self, decoder):
        super().__init__()
        self.rows = rows_per_pixel(decoder)
        self.shapes = decoder.cache_shapes(1, 1)

    def forward(self, flat, latents):
        h = latents.shape[3]
        parts = torch.split(flat.reshape(sum(self.rows), -1), self.rows, dim=0)
        return tuple(part.reshape(1, ch, steps, scale * h, -1)
                     for part, (_, ch, steps, scale, _) in zip(parts, self.shapes))


class DecoderStep(nn.Module):
    """One latent (unscaled) and the 40 caches (none for the video's first latent) -> its frames and the caches."""

    def __init__(self, decoder, first):
        super().__init__()
        self.decoder = decoder
        self.first = first
        self.convs = len(decoder.causal_convs())

    def forward(self, latent, *caches):
        state = ConvCaches(caches if not self.first else [None] * self.convs)
        frames = self.decoder.step(latent / self.decoder.cfg.scaling_factor, state, self.first)
        return (frames, *state.entries)


class WriteOutputs(nn.Module):
    """L latents' frames and the 40 caches -> frames [1, 3, T, H, W] and the flat cache."""

    def forward(self, *tensors):
        frames, caches = tensors[:LATENTS_PER_CALL], tensors[LATENTS_PER_CALL:]
        return torch.cat(frames, dim=2), torch.cat([cache.reshape(-1) for cache in caches])


def pieces(decoder):
    """The decoder graphs' pieces by plan name."""
    return {"split": SplitLatents(), "read": ReadCache(decoder), "first_step": DecoderStep(decoder, True),
            "step": DecoderStep(decoder, False), "write": WriteOutputs()}


def example_args(decoder, latents):
    """{piece: arguments} to trace each decoder piece with: real shapes for the latent grid of `latents`; the
    values do not matter, as a trace records operations, not numbers."""
    cfg = decoder.cfg
    h, w = latents.shape[3], latents.shape[4]
    caches = [torch.zeros(shape) for shape in decoder.cache_shapes(h, w)]
    frames = [torch.zeros(1, cfg.out_channels, cfg.temporal, h * cfg.spatial, w * cfg.spatial)] * LATENTS_PER_CALL
    flat = torch.zeros(cache_size(decoder, w * cfg.spatial, h * cfg.spatial))
    one = latents[:, :, :1]
    return {"split": [latents], "read": [flat, latents], "first_step": [one], "step": [one, *caches],
            "write": frames + caches}


def plan(key, convs):
    """[(piece, input wires, output wires)] for "vae_decoder_first" or "vae_decoder". Wires are value names; the
    graph's own inputs and outputs use the contract's names."""
    latents = [f"latent_{i}" for i in range(LATENTS_PER_CALL)]
    frames = [f"frames_{i}" for i in range(LATENTS_PER_CALL)]

    def caches(step):
        return [f"cache_{step}_{k}" for k in range(convs)]

    steps = [("split", ["latents"], latents)]
    if key == "vae_decoder_first":
        steps.append(("first_step", [latents[0]], [frames[0]] + caches(0)))
    elif key == "vae_decoder":
        steps.append(("read", ["cache_in", "latents"], caches(-1)))
        steps.append(("step", [latents[0]] + caches(-1), [frames[0]] + caches(0)))
    else:
        raise ValueError(f"no decoder plan for {key}")
    for i in range(1, LATENTS_PER_CALL):
        steps.append(("step", [latents[i]] + caches(i - 1), [frames[i]] + caches(i)))
    steps.append(("write", frames + caches(LATENTS_PER_CALL - 1), ["frames", "cache_out"]))
    return steps


def run_plan(steps, modules, values):
    """Run a plan in PyTorch. `values` maps the graph inputs' names to tensors and receives every wire."""
    for name, inputs, outputs in steps:
        args = [values[wire] for wire in inputs]
        results = modules[name](*args)
        results = results if isinstance(results, tuple) else (results,)
        if len(results) != len(outputs):
            raise ValueError(f"piece {name} returned {len(results)} tensors for {len(outputs)} wires")
        values.update(zip(outputs, results))
    return values


class VaeDecoderFirstGraph(nn.Module):
    """vae_decoder_first: the first chunk's latents -> 1 + T (L - 1) frames and the flat cache."""

    def __init__(self, decoder):
        super().__init__()
        self.modules_by_piece = pieces(decoder)
        self.steps = plan("vae_decoder_first", len(decoder.causal_convs()))

    def forward(self, latents):
        values = run_plan(self.steps, self.modules_by_piece, {"latents": latents})
        return values["frames"], values["cache_out"]


class VaeDecoderLaterGraph(nn.Module):
    """vae_decoder: a later chunk's latents and the flat cache -> T L frames and the new cache."""

    def __init__(self, decoder):
        super().__init__()
        self.modules_by_piece = pieces(decoder)
        self.steps = plan("vae_decoder", len(decoder.causal_convs()))

    def forward(self, latents, cache_in):
        values = run_plan(self.steps, self.modules_by_piece, {"latents": latents, "cache_in": cache_in})
        return values["frames"], values["cache_out"]
