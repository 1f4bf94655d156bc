"""Sizes of SigLIP so400m-patch14-384 (models/fixtures/siglip_so400m.params cites the published config), the
image processor settings of FLUX.1-Redux-dev's feature_extractor, and checks of a checkpoint's JSON files."""

import json
import pathlib
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class SiglipConfig:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    patch: int
    image: int
    eps: float

    def __post_init__(self):
        if self.hidden % self.heads:
            raise ValueError(f"{self}: hidden must split into heads")

    @property
    def head_dim(self):
        return self.hidden // self.heads

    @property
    def tokens(self):
        # The patch convolution has no padding: 384 / 14 leaves 6 pixel rows and columns unread, 27 x 27 patches.
        return (self.image // self.patch) ** 2

    def with_(self, **changes):
        return replace(self, **changes)


SO400M_PATCH14_384 = SiglipConfig(hidden=1152, layers=27, heads=16, intermediate=4304, patch=14, image=384,
                                  eps=1e-6)


@dataclass(frozen=True)
class Preprocessing:
    """transformers' SiglipImageProcessor settings: resize to size x size (PIL resample code), multiply by
    rescale, then (x - mean) / std per channel."""
    size: int = 384
    resample: int = 3            # PIL.Image.BICUBIC
    rescale: float = 1 / 255
    mean: tuple = (0.5, 0.5, 0.5)
    std: tuple = (0.5, 0.5, 0.5)

    def from_bundle_pixels(self):
        """(scale, shift) per channel with processor value = pixels * scale + shift, where pixels are the bundle's
        [-1, 1] image (= 8-bit value / 127.5 - 1)."""
        scale = tuple(127.5 * self.rescale / s for s in self.std)
        shift = tuple((127.5 * self.rescale - m) / s for m, s in zip(self.mean, self.std))
        return scale, shift


# FLUX.1-Redux-dev feature_extractor/preprocessor_config.json (copy: huggingface.co YiYiXu/yiyi-redux commit
# 52e4e3c): do_resize, size 384 x 384, resample 3, do_rescale 1/255, do_normalize with mean = std = 0.5.
REDUX_PREPROCESSING = Preprocessing()

_KEYS = {"hidden_size": "hidden", "num_hidden_layers": "layers", "num_attention_heads": "heads",
         "intermediate_size": "intermediate", "patch_size": "patch", "image_size": "image", "layer_norm_eps": "eps"}


def check_config_json(path, config):
    """Compare a SiglipVisionModel config.json with `config`; raise ValueError naming every difference."""
    data = json.loads(pathlib.Path(path).read_text())
    data = dict(data, **(data.get("vision_config") or {}))
    differences = [f"{key} {data[key]} (expected {getattr(config, field)})" for key, field in _KEYS.items()
                   if key in data and float(data[key]) != float(getattr(config, field))]
    if data.get("hidden_act", "gelu_pytorch_tanh") != "gelu_pytorch_tanh":
        differences.append(f"hidden_act {data['hidden_act']} (expected gelu_pytorch_tanh)")
    if differences:
        raise ValueError(f"{path} describes another model: " + ", ".join(differences)
                         + "; pass HY-WorldPlay's vision_encoder/siglip folder (FLUX.1-Redux-dev's image_encoder)")


def read_preprocessing(path):
    """The Preprocessing a preprocessor_config.json describes; ValueError for settings the bundle cannot express."""
    data = json.loads(pathlib.Path(path).read_text())
    size = data.get("size") or {}
    height, width = size.get("height", size.get("shortest_edge")), size.get("width", size.get("shortest_edge"))
    problems = []
    if not data.get("do_resize", True) or height != width:
        problems.append(f"resize {height} x {width} (the graph takes a square image)")
    rescale = data.get("rescale_factor", 1 / 255) if data.get("do_rescale", True) else 1.0
    normalize = data.get("do_normalize", True)
    mean = tuple(data.get("image_mean", (0.5,) * 3)) if normalize else (0.0,) * 3
    std = tuple(data.get("image_std", (0.5,) * 3)) if normalize else (1.0,) * 3
    if len(mean) != 3 or len(std) != 3:
        problems.append(f"image_mean {mean} / image_std {std} (expected three channels)")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return Preprocessing(size=int(height), resample=int(data.get("resample", 3)), rescale=float(rescale),
                         mean=mean, std=std)
