"""Writes the reference-scene bundle: graphs, manifest, tokenizer and golden files."""

import json
import pathlib

import numpy as np
import torch
from PIL import Image

from .. import noise, onnx_export
from . import config as c
from . import golden, poses
from .dit import DitChunk
from .effects import tokenize
from .manifest import manifest
from .signatures import GRAPHS, STREAM
from .text_encoder import TextEncoder
from .vae import VaeDecoder, VaeDecoderFirst, VaeEncoder

DEFAULT_IMAGE = pathlib.Path(__file__).resolve().parents[3] / "assets" / "images" / "meadow.png"


def load_image(path) -> torch.Tensor:
    """A start image as [1, 3, H, W] in [-1, 1], scaled to cover the video size and centre-cropped."""
    image = Image.open(path).convert("RGB")
    scale = max(c.VIDEO_WIDTH / image.width, c.VIDEO_HEIGHT / image.height)
    size = (max(c.VIDEO_WIDTH, round(image.width * scale)), max(c.VIDEO_HEIGHT, round(image.height * scale)))
    image = image.resize(size, Image.LANCZOS)
    left, top = (size[0] - c.VIDEO_WIDTH) // 2, (size[1] - c.VIDEO_HEIGHT) // 2
    image = image.crop((left, top, left + c.VIDEO_WIDTH, top + c.VIDEO_HEIGHT))
    pixels = torch.from_numpy(np.asarray(image, dtype=np.float32) / 127.5 - 1.0)
    return pixels.permute(2, 0, 1)[None].contiguous()


def example_inputs():
    """One valid argument tuple per graph, used for tracing."""
    text = TextEncoder()
    ids, mask = tokenize("light snow at dusk", text.vocab, c.MAX_TOKENS)
    ids, mask = torch.tensor([ids]), torch.tensor([mask])
    n = 8
    w2c, labels = poses.trajectory("w-3, right-4, d-4")
    w2c, k = torch.from_numpy(w2c), torch.from_numpy(poses.intrinsics(12))
    latent = torch.zeros(1, c.CHANNELS, c.LATENT_HEIGHT, c.LATENT_WIDTH)
    dit_args = (torch.zeros(1, c.CHANNELS, n, c.LATENT_HEIGHT, c.LATENT_WIDTH), w2c[:n], k[:n],
                torch.from_numpy(labels[:n]), torch.arange(n), (torch.arange(n) == 0).float(),
                torch.zeros(1, c.CHANNELS, c.LATENTS_PER_CHUNK, c.LATENT_HEIGHT, c.LATENT_WIDTH), w2c[n:], k[n:],
                torch.from_numpy(labels[n:]), torch.arange(n, n + 4), torch.zeros(4), latent,
                torch.from_numpy(poses.sigmas(c.STEPS, c.SHIFT)), torch.tensor([c.CONTEXT_TIMESTEP]),
                text(ids, mask), mask.float())
    chunk = torch.zeros(1, c.CHANNELS, c.LATENTS_PER_CHUNK, c.LATENT_HEIGHT, c.LATENT_WIDTH)
    return {
        "vae_encoder": (VaeEncoder(), (torch.zeros(1, 3, c.VIDEO_HEIGHT, c.VIDEO_WIDTH),)),
        "dit_chunk": (DitChunk(), dit_args),
        "vae_decoder_first": (VaeDecoderFirst(), (chunk,)),
        "vae_decoder": (VaeDecoder(), (chunk, torch.zeros(c.CACHE_SIZE))),
        f"text_encoder_{STREAM}": (text, (ids, mask)),
    }


def build(out: pathlib.Path, image_path=DEFAULT_IMAGE):
    out.mkdir(parents=True, exist_ok=True)
    for key, (module, args) in example_inputs().items():
        spec = GRAPHS[key]
        onnx_export.export(module.eval(), args, out / spec["file"], spec["inputs"], spec["outputs"])
    vocab = TextEncoder().vocab
    (out / f"tokenizer_{STREAM}.json").write_text(json.dumps({"kind": "simple", "vocab": vocab}) + "\n")
    (out / "manifest.json").write_text(json.dumps(manifest(), indent=2) + "\n")
    golden.write(out / "golden", load_image(image_path))
