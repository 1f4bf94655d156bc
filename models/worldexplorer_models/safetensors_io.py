"""A small reader and writer of the safetensors format, for environments without the `safetensors` package.

Layout: an 8-byte little-endian header length, a UTF-8 JSON header mapping each tensor name to its dtype, shape
and [begin, end) byte offsets into the data that follows, and the raw little-endian tensor bytes. The reader maps
the file and copies one tensor at a time, so a checkpoint larger than memory can be read tensor by tensor.
"""

import json
import mmap
import pathlib
import struct

import numpy as np
import torch

# safetensors dtype -> (numpy storage dtype, torch dtype). bf16 has no numpy dtype: it is stored as int16 bits.
_DTYPES = {
    "F64": (np.float64, torch.float64), "F32": (np.float32, torch.float32), "F16": (np.float16, torch.float16),
    "BF16": (np.int16, torch.bfloat16), "I64": (np.int64, torch.int64), "I32": (np.int32, torch.int32),
    "I16": (np.int16, torch.int16), "I8": (np.int8, torch.int8), "U8": (np.uint8, torch.uint8),
    "BOOL": (np.bool_, torch.bool),
}
_NAMES = {torch_dtype: name for name, (_, torch_dtype) in _DTYPES.items()}


class SafetensorsFile:
    """One .safetensors file: names, dtypes and shapes from its header; tensors read on demand."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        with open(self.path, "rb") as f:
            raw = f.read(8)
            if len(raw) != 8:
                raise ValueError(f"{self.path}: too short for a safetensors file (no 8-byte header length)")
            (length,) = struct.unpack("<Q", raw)
            size = self.path.stat().st_size
            if length > size - 8:
                raise ValueError(f"{self.path}: header length {length} exceeds the file size {size}; "
                                 "the file is truncated or not safetensors")
            header = json.loads(f.read(length).decode("utf-8"))
        self.metadata = header.pop("__metadata__", {}) or {}
        self.entries = header
        self.data_start = 8 + length
        for name, entry in header.items():
            if entry["dtype"] not in _DTYPES:
                raise ValueError(f"{self.path}: tensor {name} has dtype {entry['dtype']}, which this reader "
                                 f"does not know (known: {', '.join(_DTYPES)})")
            begin, end = entry["data_offsets"]
            expected = int(np.prod(entry["shape"], dtype=np.int64)) * np.dtype(_DTYPES[entry["dtype"]][0]).itemsize
            if end - begin != expected or self.data_start + end > size:
                raise ValueError(f"{self.path}: tensor {name} spans bytes [{begin}, {end}) but needs {expected} "
                                 "bytes inside the file")
        self._map = None

    def keys(self):
        return list(self.entries)

    def shape(self, name):
        return tuple(self.entries[name]["shape"])

    def dtype(self, name):
        return _DTYPES[self.entries[name]["dtype"]][1]

    def nbytes(self, name):
        begin, end = self.entries[name]["data_offsets"]
        return end - begin

    def tensor(self, name):
        """A copy of one tensor, in its stored dtype."""
        if self._map is None:
            with open(self.path, "rb") as f:
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        entry = self.entries[name]
        storage, torch_dtype = _DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        array = np.frombuffer(self._map, dtype=np.dtype(storage).newbyteorder("<"), count=(end - begin)
                              // np.dtype(storage).itemsize, offset=self.data_start + begin)
        result = torch.from_numpy(array.astype(np.dtype(storage), copy=True)).reshape(entry["shape"])
        return result.view(torch.bfloat16) if torch_dtype is torch.bfloat16 else result

    def close(self):
        if self._map is not None:
            self._map.close()
            self._map = None


class Checkpoint:
    """All tensors of a checkpoint: one .safetensors file, or every .safetensors file in a folder."""

    def __init__(self, path):
        path = pathlib.Path(path)
        if path.is_dir():
            files = sorted(path.glob("*.safetensors"))
            if not files:
                raise FileNotFoundError(f"{path} holds no .safetensors file; pass the folder of the checkpoint "
                                        "(for example ar_distilled_action_model/) or the file itself")
        elif path.is_file():
            files = [path]
        else:
            raise FileNotFoundError(f"checkpoint {path} does not exist")
        self.files = [SafetensorsFile(f) for f in files]
        self.where = {}
        for f in self.files:
            for name in f.keys():
                if name in self.where:
                    raise ValueError(f"tensor {name} is in both {self.where[name].path} and {f.path}")
                self.where[name] = f

    def keys(self):
        return list(self.where)

    def shape(self, name):
        return self.where[name].shape(name)

    def tensor(self, name):
        return self.where[name].tensor(name)

    def close(self):
        for f in self.files:
            f.close()


def write(path, tensors, metadata=None):
    """Write {name: tensor} to a safetensors file, tensors in name order after a header padded to 8 bytes."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        if t.dtype not in _NAMES:
            raise ValueError(f"tensor {name} has dtype {t.dtype}, which safetensors cannot hold")
        data = (t.view(torch.int16) if t.dtype is torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
