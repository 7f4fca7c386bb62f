#!/usr/bin/env python3
# independent-decoder.py — a second, independent reader of the tensor format, written only from
# docs/tensor-format.md with the Python standard library. It decodes the golden vectors and checks
# them against the documented golden formula. Prints TAP.
import gzip
import struct
import sys
import zlib
from pathlib import Path

HEADER = struct.Struct("<4sHHIHHHHIqI")  # 36 bytes, little-endian
assert HEADER.size == 36
FRAME = 12 * 72 * 72


def decode(payload: bytes):
    if payload[:2] == b"\x1f\x8b":
        payload = gzip.decompress(payload)
    (magic, version, flags, frames, channels, height, width, reserved, rate_mhz, start_us,
     crc) = HEADER.unpack_from(payload, 0)
    assert magic == b"VTSR", magic
    assert version == 1 and reserved == 0 and flags & ~1 == 0
    assert (channels, height, width) == (12, 72, 72)
    body = bytearray(payload[36:])
    assert len(body) == frames * FRAME, (len(body), frames)
    assert zlib.crc32(body) == crc
    if flags & 1:
        for i in range(FRAME, len(body)):
            body[i] = (body[i] + body[i - FRAME]) & 0xFF
    return frames, rate_mhz / 1000.0, start_us, bytes(body)


def golden_value(f, c, y, x):
    return (f * 7 + c * 31 + y * 3 + x * 5 + ((x * y) >> 3)) & 0xFF


def main():
    data_dir = Path(sys.argv[1])
    names = ["tensor-plain.vtsr", "tensor-gzip.vtsr", "tensor-delta.vtsr",
             "tensor-delta-gzip.vtsr"]
    expected = bytes(golden_value(f, c, y, x)
                     for f in range(3) for c in range(12) for y in range(72) for x in range(72))
    print("TAP version 13")
    print(f"1..{len(names)}")
    failed = 0
    for i, name in enumerate(names, 1):
        try:
            frames, fps, start, body = decode((data_dir / name).read_bytes())
            ok = frames == 3 and fps == 30.0 and start == 1767225600000000 and body == expected
            detail = "" if ok else f" # frames={frames} fps={fps} start={start}"
        except Exception as exc:  # any failure is a test failure, reported not raised
            ok, detail = False, f" # {exc!r}"
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} /core/tensor/independent/{name}{detail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
