"""Opens the published T5 checkpoints and presents their tensors under our (Hugging Face T5EncoderModel) names.

Layouts read here, and where each was learned:

- Glyph-SDXL-v2 `checkpoints/byt5_model.pt` (8B glyph encoder). Upstream builds google/byt5-small's encoder with
  `T5ForConditionalGeneration.from_pretrained(...).get_encoder()`, a T5Stack, resizes its embedding to the glyph
  vocabulary and then `load_state_dict`s the file strictly (hyvideo/models/text_encoders/byT5/__init__.py:72-84,
  162-186; the path is Glyph-SDXL-v2/checkpoints/byt5_model.pt, hyvideo/pipelines/worldplay_video_pipeline.py:
  207-238). So the file is a torch pickle of T5Stack keys: `embed_tokens.weight`, `block.N.layer...`,
  `final_layer_norm.weight`, no prefix. A training checkpoint instead holds {"state_dict": {...}} whose encoder
  keys carry the prefix `module.text_tower.encoder.`; upstream keeps only those and strips it (:77-83). Both
  forms are accepted. Other T5 loaders of the same file agree (Glyph-SDXL's ComfyUI node loads it straight into
  the encoder; diffusers' HunyuanVideo-1.5 converter prefixes `encoder.` to every key and expects only
  `shared.weight` missing).
- Hugging Face safetensors, a file or a folder of shards (the 5B's UMT5: Wan2.2-TI2V-5B-Diffusers/text_encoder,
  loaded by `WanPipeline.from_pretrained`, wan/generate.py:118-119). Keys are already ours: `shared.weight`,
  `encoder.block.N...`, `encoder.final_layer_norm.weight`. A tied copy `encoder.embed_tokens.weight`, and the
  decoder and lm_head of a full T5 checkpoint, are ignored.
"""

import pathlib
import pickle
import re

import torch

from ..checkpoint_keys import blocks_at_or_past
from ..safetensors_io import Checkpoint

GLYPH_PREFIX = "module.text_tower.encoder."
_BLOCK = r"^encoder\.block\.(\d+)\."
_IGNORED = re.compile(r"^(encoder\.embed_tokens\.weight$|decoder\.|lm_head\.)")
_PICKLES = (".pt", ".pth", ".bin", ".ckpt")


class TorchStateDict:
    """A torch.save'd state dict (tensors only; nothing else is unpickled), with the Checkpoint interface."""

    def __init__(self, path, log=print):
        self.path = pathlib.Path(path)
        try:
            data = torch.load(self.path, map_location="cpu", weights_only=True)
        except (pickle.UnpicklingError, RuntimeError) as error:
            raise ValueError(f"{self.path} is not a torch state dict of tensors ({error}); pass "
                             "Glyph-SDXL-v2/checkpoints/byt5_model.pt or a .safetensors checkpoint") from None
        if not isinstance(data, dict):
            raise ValueError(f"{self.path} holds a {type(data).__name__}, not a state dict")
        if "state_dict" in data:
            nested = data["state_dict"]
            data = {k[len(GLYPH_PREFIX):]: v for k, v in nested.items() if k.startswith(GLYPH_PREFIX)}
            log(f"{self.path.name}: training checkpoint; kept {len(data)} of {len(nested)} tensors under "
                f"{GLYPH_PREFIX}")
        self.tensors = {k: v for k, v in data.items() if isinstance(v, torch.Tensor)}
        if len(self.tensors) != len(data):
            odd = sorted(k for k in data if k not in self.tensors)[:5]
            raise ValueError(f"{self.path}: entries that are not tensors: {', '.join(map(str, odd))}")
        self.files = [self.path]

    def keys(self):
        return list(self.tensors)

    def shape(self, name):
        return tuple(self.tensors[name].shape)

    def tensor(self, name):
        return self.tensors[name]

    def close(self):
        self.tensors = {}


class OurNames:
    """A checkpoint seen through a renaming: keys() gives our names for the tensors a layout maps and the original
    name for the rest (so a key check reports them as unexpected)."""

    def __init__(self, source, rename):
        self.source = source
        self.files = source.files
        self.to_source = {}
        for key in source.keys():
            ours = rename(key)
            if ours in self.to_source:
                raise ValueError(f"the checkpoint holds both {self.to_source[ours]} and {key}, which are one "
                                 f"parameter ({ours})")
            self.to_source[ours] = key

    def keys(self):
        return list(self.to_source)

    def shape(self, name):
        return self.source.shape(self.to_source[name])

    def tensor(self, name):
        return self.source.tensor(self.to_source[name])

    def close(self):
        self.source.close()


def _stack_to_ours(key):
    """T5Stack keys (Glyph-SDXL-v2) -> T5EncoderModel keys."""
    if key == "embed_tokens.weight":
        return "shared.weight"
    if key.startswith("block.") or key == "final_layer_norm.weight":
        return "encoder." + key
    return key


def open_checkpoint(path, log=print):
    """The checkpoint at `path` under our parameter names. `path` is a .safetensors file, a folder of them, a torch
    pickle (.pt/.pth/.bin), or the Glyph-SDXL-v2 folder (its checkpoints/byt5_model.pt is used)."""
    path = pathlib.Path(path)
    glyph = path / "checkpoints" / "byt5_model.pt"
    if path.is_dir() and not any(path.glob("*.safetensors")) and glyph.is_file():
        path = glyph
    if path.is_file() and path.suffix in _PICKLES:
        source = TorchStateDict(path, log)
    else:
        source = Checkpoint(path)
    keys = source.keys()
    if "shared.weight" in keys or any(k.startswith("encoder.") for k in keys):
        return OurNames(source, lambda key: key)
    return OurNames(source, _stack_to_ours)


def skipped(layers):
    """The keys a narrow export of `layers` blocks leaves unused, and the ones no export uses."""
    beyond = blocks_at_or_past(_BLOCK, layers)
    return lambda key: bool(_IGNORED.match(key)) or beyond(key)
