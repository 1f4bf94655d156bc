"""python3 -m worldexplorer_models.text_qwen.parity --out DIR

Writes text_encoder_llm exports for the Java parity test (QwenSiglipParityTest), each from a synthetic checkpoint
folder: "tiny" (the architecture at width 64, 2 of 4 layers, norm epsilon 1e-2) and "narrow" (full width: hidden
3584, 28 query and 4 key/value heads, MLP 18944; one layer; a 4096-token vocabulary instead of 152064, which only
shortens the embedding table). Each case gets DIR/<case>/text_encoder_llm.onnx and golden inputs and PyTorch
output as .npy; DIR/golden.json lists the cases. Checkpoints are deleted afterwards.
"""

import pathlib
import shutil

import torch

from .. import parity_files
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
    parity_files.save_arrays(case, {"input_ids": ids, "attention_mask": mask, "embeds": expected})
    return {"name": f"{GRAPH_KEY} {name}", "graph": f"{name}/{GRAPH_KEY}.onnx",
            "inputs": {"input_ids": f"{name}/input_ids.npy", "attention_mask": f"{name}/attention_mask.npy"},
            "output": {"embeds": f"{name}/embeds.npy"}, "tolerance": {"relative": TOLERANCE},
            "layers": layers, "hidden": config.hidden}


def write(out, log=print):
    return parity_files.write_cases(out, CASES, write_case, log)


def main():
    parity_files.main("python3 -m worldexplorer_models.text_qwen.parity", write)


if __name__ == "__main__":
    main()
