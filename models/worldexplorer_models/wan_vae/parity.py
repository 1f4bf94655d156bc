"""python3 -m worldexplorer_models.wan_vae.parity --out DIR

Writes a full-width Wan2.2 VAE export for the Java parity test: a synthetic checkpoint (seeded weights under the
published names, read back as the exporter reads a checkpoint, then deleted), its fp32 graphs (DIR/bundle) and
golden files (DIR/golden): the graphs' inputs and PyTorch's outputs as .npy, plus index.json. The video is 16x32,
the transpose of the 32x16 the graphs are traced at, so the graphs must take every inner size from their inputs.
"""

import pathlib

import torch

from .. import parity_files
from . import synthetic
from .export import export_graphs, load_vae
from .graphs import VaeDecoderFirst, VaeDecoderLater, VaeEncoder
from .layers import Caches

SIZE = (16, 32)
TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|
CHUNKS = 2


def write(out, size=SIZE, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint_path = out / "checkpoint.safetensors"
    synthetic.write(checkpoint_path, dtype=torch.bfloat16)
    try:
        vae = load_vae(checkpoint_path, log)
    finally:
        checkpoint_path.unlink()
    record = export_graphs(vae, out / "bundle", "fp32", size, log)

    config = vae.config
    width, height = size
    w, h = config.latent_size(width, height)
    L = record["graphs"]["vae_decoder"]["inputs"][0]["shape"][2]
    g = torch.Generator().manual_seed(5)
    image = (2 * torch.rand(1, 3, height, width, generator=g) - 1)
    latents = torch.randn(1, config.z_dim, CHUNKS * L, h, w, generator=g)
    with torch.no_grad():
        image_latent = VaeEncoder(vae)(image)
        frames_first, cache_first = VaeDecoderFirst(vae)(latents[:, :, :L])
        frames_later, cache_later = VaeDecoderLater(vae)(latents[:, :, L:], cache_first)
        raw = latents * torch.tensor(config.latents_std).reshape(1, -1, 1, 1, 1) + torch.tensor(
            config.latents_mean).reshape(1, -1, 1, 1, 1)
        one_pass = vae.decode(raw, Caches([None] * len(vae.decoder.cache_shapes(h, w))), first=True)
    two_calls = torch.cat([frames_first, frames_later], dim=2)
    gap = (two_calls - one_pass).abs().max().item()
    if gap > 1e-5:
        raise RuntimeError(f"two decoder calls differ from one pass over {CHUNKS * L} latents by {gap}")
    log(f"two calls vs one pass: max difference {gap:.3g}; frames inside (-1, 1): "
        f"{(one_pass.abs() < 1).float().mean().item():.1%}")

    golden = out / "golden"
    golden.mkdir(exist_ok=True)
    tensors = {"image": image, "image_latent": image_latent, "latents_first": latents[:, :, :L],
               "latents_later": latents[:, :, L:], "frames_first": frames_first, "cache_first": cache_first,
               "frames_later": frames_later, "cache_later": cache_later, "frames_one_pass": one_pass}
    parity_files.save_arrays(golden, tensors, "<f4")
    parity_files.write_index(golden / "index.json", {
        "graphs": {key: f"bundle/{spec['file']}" for key, spec in record["graphs"].items()},
        "video": {"width": width, "height": height}, "cache_size": record["cache_size"],
        "latents_per_chunk": L, "tolerance": {"relative": TOLERANCE}, "two_calls_vs_one_pass": gap})
    return golden


def main():
    parity_files.main("python3 -m worldexplorer_models.wan_vae.parity", write)


if __name__ == "__main__":
    main()
