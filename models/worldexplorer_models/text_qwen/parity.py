"""python3 -m worldexplorer_models.text_qwen.parity --out DIR

Writes text_encoder_llm exports for the Java parity test (QwenSiglipParityTest), each from a synthetic checkpoint
folder: "tiny" (the architecture at width 64, 2 of 4 layers, norm epsilon 1e-2) and "narrow" (full width: hidden
3584, 28 query and 4 key/value heads, MLP 18944; one layer; a 4096-token vocabulary instead of 152064, which only
shortens the embedding table). Each case gets DIR/<case>/text_encoder_llm.onnx and golden inputs and PyTorch
output as .npy; DIR/golden.json lists the cases. Checkpoints are deleted afterwards.
"""

import argparse
import json
import pathlib
import shutil

import numpy as np
import torch

from ..hy_worldplay_8b.params import build_on_meta
from ..safetensors_io import Checkpoint
from . import synthetic, weights
from .config import QWEN25_VL_7B
from .export import GRAPH_KEY, export_llm
from .model import QwenTextEncoder

TOLERANCE = 1e-4  # relative: max |java - torch| / max |torch|
# A large epsilon makes the norms' epsilon handling visible in the output (ONNX Runtime's RMSNorm fusion once
# replaced it; see model.RMSNorm).
TINY = QWEN25_VL_7B.with_(vocab=64, hidden=64, layers=4, heads=4, kv_heads=2, intermediate=96, rms_eps=1e-2,
                          rope_theta=100.0, mrope_section=(2, 3, 3))
NARROW = QWEN25_VL_7B.with_(vocab=4096)
# name: (config, layers in the checkpoint, layers exported, tokens, padding at the end, checkpoint dtype)
CASES = {"tiny": (TINY, 4, 2, 13, 3, torch.float32), "narrow": (NARROW, 1, 1, 11, 2, torch.bfloat16)}


def write_case(out, name, log=print):
    config, stored, layers, n, padding, dtype = CASES[name]
    case = pathlib.Path(out) / name
    source = case / "checkpoint"
    synthetic.write_folder(source, config, layers=stored, dtype=dtype, seed=len(name))
    try:
        export_llm(source, case, "fp32", n, log, layers=layers, config=config)
        checkpoint = Checkpoint(source)
        model = weights.load(build_on_meta(lambda: QwenTextEncoder(config, layers)), checkpoint, log=log).eval()
        checkpoint.close()
    finally:
        shutil.rmtree(source)
    # Another token count than the traced one, so the dynamic axis is exercised too.
    g = torch.Generator().manual_seed(7)
    ids = torch.randint(0, config.vocab, (1, n), generator=g)
    mask = torch.ones(1, n, dtype=torch.int64)
    mask[0, n - padding:] = 0
    with torch.no_grad():
        expected = model(ids, mask)
    np.save(case / "input_ids.npy", ids.numpy())
    np.save(case / "attention_mask.npy", mask.numpy())
    np.save(case / "embeds.npy", expected.numpy())
    return {"name": f"{GRAPH_KEY} {name}", "graph": f"{name}/{GRAPH_KEY}.onnx",
            "inputs": {"input_ids": f"{name}/input_ids.npy", "attention_mask": f"{name}/attention_mask.npy"},
            "output": {"embeds": f"{name}/embeds.npy"}, "tolerance": {"relative": TOLERANCE},
            "layers": layers, "hidden": config.hidden}


def write(out, log=print):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cases = [write_case(out, name, log) for name in CASES]
    (out / "golden.json").write_text(json.dumps({"cases": cases}, indent=2) + "\n")
    return out / "golden.json"


def main():
    parser = argparse.ArgumentParser(prog="python3 -m worldexplorer_models.text_qwen.parity")
    parser.add_argument("--out", required=True, type=pathlib.Path)
    print(write(parser.parse_args().out))


if __name__ == "__main__":
    main()
