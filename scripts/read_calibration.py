#!/usr/bin/env python3
"""Prints the calibrator coefficients (section LCAL) of a compiled index file.

Used by scripts/fit_calibration_prior.sh to refit `Calibrator.prior` on MASSIVE fr-FR:
the layout is the one documented in Sources/ChatbotEngine/Index/IndexFormat.swift.
"""
import struct
import sys


def calibration(path: str) -> list[float]:
    data = open(path, "rb").read()
    if data[:8] != b"CBINDEX\0":
        raise SystemExit(f"{path}: not an index file")
    (count,) = struct.unpack_from("<I", data, 48)
    for k in range(count):
        tag, size, offset, n = struct.unpack_from("<4sIQQ", data, 64 + 24 * k)
        if tag == b"LCAL":
            return list(struct.unpack_from(f"<{n}f", data, offset))
    raise SystemExit(f"{path}: no learned model (built with --no-learn?)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: read_calibration.py INDEX")
    names = ["intercept", "lift", "excess", "cosine", "coverage", "agreement"]
    for name, c in zip(names + [f"c{i}" for i in range(len(names), 16)], calibration(sys.argv[1])):
        print(f"{name}\t{c:.4f}")
