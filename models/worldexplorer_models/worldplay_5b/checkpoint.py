"""Opens the 5B's weights: the published wan_distilled_model/model.pt (a torch file whose "generator" entry is the
state dict), or safetensors (one file or a folder of them).

Keys lose upstream's training prefixes as wan/generate.py:152-163 removes them: a key starting with "model." loses
every "model.", then one starting with "_fsdp_wrapped_module." loses every "_fsdp_wrapped_module.".
"""

import inspect
import pathlib
import pickle

import torch

from ..safetensors_io import Checkpoint

STATE_KEY = "generator"  # wan/generate.py:150
_HINT = "pass wan_distilled_model/model.pt of tencent/HY-WorldPlay, or a safetensors file or folder with its weights"


def upstream_key(key):
    if key.startswith("model."):
        key = key.replace("model.", "")
    if key.startswith("_fsdp_wrapped_module."):
        key = key.replace("_fsdp_wrapped_module.", "")
    return key


def _renamed(keys, where):
    names = {}
    for key in keys:
        name = upstream_key(key)
        if name in names:
            raise ValueError(f"{where}: keys {names[name]} and {key} both become {name} once the training prefixes "
                             "are removed")
        names[name] = key
    return names


class TorchCheckpoint:
    """A torch .pt/.pth file, read once into memory (memory-mapped where this torch supports it). Only tensors and
    plain containers are unpickled (weights_only), so the file cannot run code. Each tensor is handed over once and
    then released, so loading a model needs little more memory than the model itself."""

    def __init__(self, path):
        path = pathlib.Path(path)
        options = {"map_location": "cpu", "weights_only": True}
        if "mmap" in inspect.signature(torch.load).parameters:
            options["mmap"] = True
        try:
            data = torch.load(str(path), **options)
        except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as error:
            raise ValueError(f"{path} could not be read as a torch checkpoint of tensors ({error}); {_HINT}") from None
        state = self._state_dict(data, path)
        self._names = _renamed(state, path)
        self._shapes = {name: tuple(state[key].shape) for name, key in self._names.items()}
        self._state = state
        self.files = [path]

    @staticmethod
    def _state_dict(data, path):
        if not isinstance(data, dict):
            raise ValueError(f"{path} holds a {type(data).__name__}, not a dict with a '{STATE_KEY}' state dict; "
                             f"{_HINT}")
        if STATE_KEY in data and isinstance(data[STATE_KEY], dict):
            data = data[STATE_KEY]
        elif not all(isinstance(v, torch.Tensor) for v in data.values()):
            raise ValueError(f"{path} has no '{STATE_KEY}' state dict (top-level keys: {', '.join(map(str, data))}); "
                             f"{_HINT}")
        others = sorted(str(k) for k, v in data.items() if not isinstance(v, torch.Tensor))
        if others:
            raise ValueError(f"{path}: the state dict holds non-tensor entries {', '.join(others)}; {_HINT}")
        return data

    def keys(self):
        return list(self._names)

    def shape(self, name):
        return self._shapes[name]

    def tensor(self, name):
        key = self._names[name]
        if key not in self._state:
            raise KeyError(f"{self.files[0]}: tensor {name} was already read (each is handed over once)")
        return self._state.pop(key)

    def close(self):
        self._state = {}


class SafetensorsCheckpoint:
    """safetensors_io.Checkpoint with upstream's key prefixes removed."""

    def __init__(self, path):
        self._checkpoint = Checkpoint(path)
        self._names = _renamed(self._checkpoint.keys(), path)
        self.files = self._checkpoint.files

    def keys(self):
        return list(self._names)

    def shape(self, name):
        return self._checkpoint.shape(self._names[name])

    def tensor(self, name):
        return self._checkpoint.tensor(self._names[name])

    def close(self):
        self._checkpoint.close()


def open_checkpoint(path):
    """A .safetensors file or a folder holding .safetensors files, or a torch file (a folder holding only
    model.pt means that file)."""
    path = pathlib.Path(path)
    if path.is_dir():
        if any(path.glob("*.safetensors")):
            return SafetensorsCheckpoint(path)
        if (path / "model.pt").is_file():
            return TorchCheckpoint(path / "model.pt")
        raise FileNotFoundError(f"{path} holds neither .safetensors files nor model.pt; {_HINT}")
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist; {_HINT}")
    if path.suffix == ".safetensors":
        return SafetensorsCheckpoint(path)
    return TorchCheckpoint(path)
