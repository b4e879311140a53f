#!/usr/bin/env python3
"""Writes the benchmark image: SIZE_MIB MiB of the same filler as the agent's TestImages.

Byte at position p is (p + (p >> 16)) & 0xff: consecutive bytes differ by one, so the image holds
no magic number (MZ, PK\\3\\4, \\x7fELF) and clamd scans it as plain data on both sides.
Usage: make_image.py OUT SIZE_MIB
"""
import sys

out, mib = sys.argv[1], int(sys.argv[2])
base = bytes(range(256)) * 256  # one 64 KiB block
with open(out, "wb") as f:
    for k in range(mib * 16):
        r = k % 256
        f.write(base[r:] + base[:r])
