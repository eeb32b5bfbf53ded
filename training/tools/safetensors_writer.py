"""Writes a safetensors file (an 8-byte little-endian header length, a JSON header, then the raw tensors), the
format training's io.SafeTensors reads. Shared by the fixture generators in this folder."""
import json
import os
import struct

import torch

# element type name in the header -> (torch dtype, numpy little-endian format)
_FORMATS = {"F32": (torch.float32, "<f4"), "F64": (torch.float64, "<f8")}


def write_safetensors(path, tensors, metadata, dtype="F32"):
    """Writes the tensors (name -> tensor, in this order) as `dtype` ("F32" or "F64") with string metadata."""
    torch_dtype, numpy_format = _FORMATS[dtype]
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = torch.as_tensor(t).detach().contiguous().to(torch_dtype)
        data = t.numpy().astype(numpy_format).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)  # the data section starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    print(f"wrote {os.path.relpath(path)} ({8 + len(head) + offset} bytes)")
