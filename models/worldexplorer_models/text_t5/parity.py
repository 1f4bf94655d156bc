"""python3 -m worldexplorer_models.text_t5.parity --out DIR

Writes two text-encoder graphs for the Java parity test (T5EncoderParityTest), from synthetic checkpoints in the
published layouts, and their golden files: DIR/index.json names each case's graph, its int64 inputs and the PyTorch
output (raw little-endian .i64 / .f32 files with their shapes).

- byt5: the glyph encoder at full width (d 1472, 1510-token vocabulary), its first two blocks, fp32, from a
  byt5_model.pt whose names and shapes come from the fixture; input: a glyph prompt tokenised byte by byte, padded
  to 256.
- umt5: the UMT5 structure at a small width (per-layer bias, padded rows zeroed), two blocks, fp32, from Hugging
  Face safetensors shards; input: 23 tokens of which 17 are real.
The checkpoints are deleted afterwards.
"""

import pathlib

import numpy as np
import torch

from .. import parity_files
from ..hy_worldplay_8b.params import read_fixture, shapes
from . import synthetic
from .byte_tokens import byt5_tokens, glyph_prompt
from .config import BYT5_GLYPH, T5Config
from .encoder import T5Encoder, TextEncoderGraph
from .export import export_config, export_t5_encoder

TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|
LAYERS = 2
TINY_UMT5 = T5Config(vocab_size=500, d_model=64, d_kv=16, d_ff=96, num_heads=4, num_layers=LAYERS,
                     bias_per_layer=True, zero_padding=True)


def _golden(folder, name, ids, mask, embeds):
    files = {}
    for key, value, suffix in (("input_ids", ids, "i64"), ("attention_mask", mask, "i64"), ("embeds", embeds, "f32")):
        file = f"{name}_{key}.{suffix}"
        value = np.ascontiguousarray(value, dtype="<i8" if suffix == "i64" else "<f4")
        (folder / file).write_bytes(value.tobytes())
        files[key] = {"file": file, "shape": list(value.shape)}
    return files


def _expected(config, weights, ids, mask):
    model = T5Encoder(config)
    model.load_state_dict(weights)
    with torch.no_grad():
        return TextEncoderGraph(model).eval()(ids, mask).numpy()


def byt5_case(out, log):
    published = {n: s for n, s in read_fixture("byt5_small_encoder").items()
                 if not n.startswith("encoder.block.") or int(n.split(".")[2]) < LAYERS}
    weights = synthetic.tensors(published, BYT5_GLYPH, seed=21)
    checkpoint = out / "byt5_model.pt"
    synthetic.write_glyph_pt(checkpoint, weights)
    try:
        entry, dim = export_t5_encoder(checkpoint, out / "byt5", "glyph", "byt5", "fp32", 256, log, layers=LAYERS)
    finally:
        checkpoint.unlink()
    ids, mask = byt5_tokens(glyph_prompt(["Grand Opening", "café 世界"]), 256)
    ids, mask = torch.tensor([ids]), torch.tensor([mask])
    embeds = _expected(BYT5_GLYPH.with_layers(LAYERS), weights, ids, mask)
    return {"name": "byt5", "graph": f"byt5/{entry['file']}", "dim": dim, "real_tokens": int(mask.sum()),
            "zero_padding": False, "files": _golden(out, "byt5", ids.numpy(), mask.numpy(), embeds)}


def umt5_case(out, log):
    weights = synthetic.tensors(shapes(T5Encoder(TINY_UMT5)), TINY_UMT5, seed=22)
    folder = out / "umt5_checkpoint"
    synthetic.write_hf_folder(folder, weights)
    try:
        entry, dim = export_config(folder, out / "umt5", "text", "umt5", TINY_UMT5, "fp32", 512, log)
    finally:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    g = torch.Generator().manual_seed(23)
    mask = (torch.arange(23) < 17).to(torch.int64)[None]
    ids = torch.randint(3, TINY_UMT5.vocab_size, (1, 23), generator=g) * mask
    ids[0, 16] = 1  # eos closes the prompt
    embeds = _expected(TINY_UMT5, weights, ids, mask)
    return {"name": "umt5", "graph": f"umt5/{entry['file']}", "dim": dim, "real_tokens": 17, "zero_padding": True,
            "files": _golden(out, "umt5", ids.numpy(), mask.numpy(), embeds)}


def write(out, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cases = [byt5_case(out, log), umt5_case(out, log)]
    return parity_files.write_index(out / "index.json", {"tolerance": {"relative": TOLERANCE}, "cases": cases})


def main():
    parity_files.main("python3 -m worldexplorer_models.text_t5.parity", write)


if __name__ == "__main__":
    main()
