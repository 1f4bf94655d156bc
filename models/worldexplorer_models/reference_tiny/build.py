"""Writes the reference-tiny bundle: graphs, manifest, tokenizer and the golden rollout."""

import json
import pathlib

import torch

from .. import onnx_export
from ..reference_scene.effects import tokenize
from . import config as c
from . import golden, host
from .dit_chunk import DitChunk
from .signatures import GRAPHS, STREAM
from .manifest import manifest
from .text_encoder import TextEncoder
from .vae import AutoencoderKLConv3D, VaeDecoderFirst, VaeDecoderLater, VaeEncoder


def modules():
    """(dit_chunk, vae_encoder, vae_decoder_first, vae_decoder, text encoder), in eval mode, seeded weights."""
    vae = AutoencoderKLConv3D()
    return tuple(m.eval() for m in (DitChunk(), VaeEncoder(vae.encoder), VaeDecoderFirst(vae.decoder),
                                    VaeDecoderLater(vae.decoder), TextEncoder()))


def example_inputs(mods):
    dit, encoder, first, later, text = mods
    ids, mask = tokenize(golden.PROMPT, text.vocab, c.MAX_TOKENS)
    ids, mask = torch.tensor([ids]), torch.tensor([mask])
    n, L = 8, c.LATENTS_PER_CHUNK
    latent = torch.zeros(1, c.CHANNELS, c.LATENT_HEIGHT, c.LATENT_WIDTH)
    w2c = torch.eye(4).repeat(n + L, 1, 1)
    k = torch.from_numpy(host.intrinsics(n + L))
    chunk = torch.zeros(1, c.CHANNELS, L, c.LATENT_HEIGHT, c.LATENT_WIDTH)
    dit_args = (torch.zeros(1, c.CHANNELS, n, c.LATENT_HEIGHT, c.LATENT_WIDTH), w2c[:n], k[:n],
                torch.zeros(n, dtype=torch.int64), torch.arange(n), (torch.arange(n) == 0).float(), chunk, w2c[n:],
                k[n:], torch.zeros(L, dtype=torch.int64), torch.arange(n, n + L), torch.zeros(L), latent,
                torch.from_numpy(host.sigmas()), torch.tensor([c.CONTEXT_TIMESTEP]), text(ids, mask), mask.float())
    return {
        "vae_encoder": (encoder, (torch.zeros(1, 3, c.VIDEO_HEIGHT, c.VIDEO_WIDTH),)),
        "dit_chunk": (dit, dit_args),
        "vae_decoder_first": (first, (chunk,)),
        "vae_decoder": (later, (chunk, torch.zeros(GRAPHS["vae_decoder"]["inputs"][1]["shape"][0]))),
        f"text_encoder_{STREAM}": (text, (ids, mask)),
    }


def build(out: pathlib.Path):
    out.mkdir(parents=True, exist_ok=True)
    mods = modules()
    for key, (module, args) in example_inputs(mods).items():
        spec = GRAPHS[key]
        onnx_export.export(module, args, out / spec["file"], spec["inputs"], spec["outputs"])
    vocab = mods[4].vocab
    (out / f"tokenizer_{STREAM}.json").write_text(json.dumps({"kind": "simple", "vocab": vocab}) + "\n")
    (out / "manifest.json").write_text(json.dumps(manifest(), indent=2) + "\n")
    golden.write(out / "golden", mods, vocab)
