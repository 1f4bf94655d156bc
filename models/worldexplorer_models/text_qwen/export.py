"""Exports the Qwen2.5-VL language model of a checkpoint folder to text_encoder_llm.onnx and copies its tokenizer
as tokenizer_llm.json (docs/bundle-format.md)."""

import json
import pathlib
import shutil
import tempfile
import time

import torch

from ..hy_worldplay_8b.export import write_graph
from ..hy_worldplay_8b.params import build_on_meta
from ..onnx_export import fix_signature
from ..progress import peak_memory_gib
from ..safetensors_io import Checkpoint
from . import large_graph, prompt, weights
from .config import HIDDEN_STATE_INDEX, QWEN25_VL_7B, check_config_json, exported_layers
from .model import QwenTextEncoder

DTYPES = ("fp32", "fp16", "bf16")
STREAM = "llm"
GRAPH_KEY = "text_encoder_" + STREAM
TOKENIZER_FILE = "tokenizer_llm.json"
# Tokens the exporter insists on in tokenizer.json: the host finds crop_start by them and pads with <|endoftext|>.
_ADDED = {"<|im_start|>": prompt.USER_MARKER_IDS[0], "<|endoftext|>": prompt.PAD_ID}
_VOCAB = {"user": prompt.USER_MARKER_IDS[1], "\u010a": prompt.USER_MARKER_IDS[2]}  # byte-level "\n" is "Ċ"


def graph_entry(config=QWEN25_VL_7B):
    """The manifest's graphs entry of text_encoder_llm."""
    t = lambda name, dtype, shape: {"name": name, "dtype": dtype, "shape": list(shape)}
    return {"file": GRAPH_KEY + ".onnx",
            "inputs": [t("input_ids", "int64", [1, "n_tokens"]), t("attention_mask", "int64", [1, "n_tokens"])],
            "outputs": [t("embeds", "float32", [1, "n_tokens", config.hidden])]}


def stream_entry(max_tokens, config=QWEN25_VL_7B):
    """The manifest's text.streams entry for the LLM stream."""
    return {"name": STREAM, "graph": GRAPH_KEY + ".onnx", "dim": config.hidden, "max_tokens": max_tokens,
            "tokenizer": {"kind": "huggingface", "file": TOKENIZER_FILE}}


def export_llm(checkpoint_path, out_dir, dtype, max_tokens, log=print, layers=None, config=QWEN25_VL_7B):
    """Write out_dir/text_encoder_llm.onnx (+ .onnx.data past 2 GiB), out_dir/tokenizer_llm.json and
    out_dir/export_text_encoder_llm.json. `layers` exports only the first decoder layers (narrow parity exports);
    by default the graph ends where upstream reads hidden state -3. Returns {graph key: manifest entry}."""
    if dtype not in DTYPES:
        raise ValueError(f"dtype {dtype} is not one of {', '.join(DTYPES)}")
    count = exported_layers(config) if layers is None else layers
    if not 1 <= count <= exported_layers(config):
        raise ValueError(f"layers {count} must be between 1 and {exported_layers(config)}: the graph ends at "
                         f"hidden state {HIDDEN_STATE_INDEX} of {config.layers} layers")
    if not isinstance(max_tokens, int) or max_tokens < 1:
        raise ValueError(f"max_tokens {max_tokens!r} must be a positive token count (upstream pads to "
                         f"{prompt.MAX_PROMPT_TOKENS} + crop_start)")
    checkpoint_path, out = pathlib.Path(checkpoint_path), pathlib.Path(out_dir)
    folder = checkpoint_path if checkpoint_path.is_dir() else checkpoint_path.parent
    tokenizer = _checked_tokenizer(folder)
    if check_config_json(folder, config):
        log(f"{folder / 'config.json'} matches the expected sizes")
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()

    checkpoint = Checkpoint(checkpoint_path)
    log(f"checkpoint {checkpoint_path}: {len(checkpoint.keys())} tensors in {len(checkpoint.files)} file(s)")
    model = build_on_meta(lambda: QwenTextEncoder(config, count))
    weights.load(model, checkpoint, log=log)
    checkpoint.close()
    model.eval()
    parameters = sum(p.numel() for p in model.parameters())
    log(f"model: {count} of {config.layers} layers, {parameters / 1e9:.3f}B parameters, "
        f"peak memory {peak_memory_gib():.2f} GiB")

    spec = graph_entry(config)
    ids, mask = example_inputs(config)
    target = out / spec["file"]
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        traced = pathlib.Path(scratch) / spec["file"]
        log(f"tracing and exporting {GRAPH_KEY} (opset 17)")
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask), str(traced), input_names=["input_ids", "attention_mask"],
                              output_names=["embeds"], opset_version=17, do_constant_folding=True,
                              dynamic_axes={"input_ids": {1: "n_tokens"}, "attention_mask": {1: "n_tokens"},
                                            "embeds": {1: "n_tokens"}})
        del model
        graph = large_graph.load_lowered(traced, dtype, lambda g: fix_signature(g, spec["inputs"], spec["outputs"]))
    weight_bytes, data_name = write_graph(graph, target)
    shutil.copyfile(tokenizer, out / TOKENIZER_FILE)
    record = {"variant": "qwen2.5-vl-7b-instruct language model", "checkpoint": str(checkpoint_path),
              "dtype": dtype, "layers": count, "parameters": parameters, "weight_bytes": weight_bytes,
              "external_data": data_name, "stream": stream_entry(max_tokens, config),
              "graphs": {GRAPH_KEY: spec},
              "host": {"chat_prefix": prompt.CHAT_PREFIX, "chat_suffix": prompt.CHAT_SUFFIX,
                       "empty_prompt": " ", "crop_after_ids": list(prompt.USER_MARKER_IDS),
                       "pad_id": prompt.PAD_ID, "max_prompt_tokens": prompt.MAX_PROMPT_TOKENS}}
    (out / f"export_{GRAPH_KEY}.json").write_text(json.dumps(record, indent=2) + "\n")
    log(f"wrote {target}{' + ' + data_name if data_name else ''} ({weight_bytes / 2 ** 30:.2f} GiB of weights) and "
        f"{TOKENIZER_FILE} in {time.monotonic() - start:.0f} s, peak memory {peak_memory_gib():.2f} GiB")
    return {GRAPH_KEY: spec}


def example_inputs(config, n=8, padding=2, seed=0):
    """Token ids and a right-padded mask to trace with (the token count is a dynamic axis)."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, config.vocab, (1, n), generator=g)
    mask = torch.ones(1, n, dtype=torch.int64)
    mask[0, n - padding:] = 0
    return ids, mask


def _checked_tokenizer(folder):
    path = folder / "tokenizer.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the bundle needs Qwen's tokenizer.json, which lies beside the "
                                "safetensors files in HY-WorldPlay's text_encoder/llm folder")
    data = json.loads(path.read_text(encoding="utf-8"))
    added = {t.get("content"): t.get("id") for t in data.get("added_tokens", [])}
    vocab = (data.get("model") or {}).get("vocab") or {}
    wrong = [f"{token!r} is {table.get(token)} (expected {want})"
             for table, expected in ((added, _ADDED), (vocab, _VOCAB)) for token, want in expected.items()
             if table.get(token) != want]
    if wrong:
        raise ValueError(f"{path} is not Qwen2's tokenizer: " + "; ".join(wrong))
    return path
