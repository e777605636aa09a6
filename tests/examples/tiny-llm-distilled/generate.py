"""Loads the example weights and prints their shapes (the Complementary Materials of the example)."""
import json
import struct
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "model.safetensors"
with open(path, "rb") as f:
    (n,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(n))
for name, info in header.items():
    if name != "__metadata__":
        print(name, info["dtype"], info["shape"])
