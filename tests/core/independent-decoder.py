#!/usr/bin/env python3
# independent-decoder.py — a second, independent reader and writer of the tensor format, written
# only from docs/tensor-format.md with the Python standard library. It checks that the document
# is enough: it decodes the golden vectors, re-encodes them and the CLI's payloads byte for byte,
# and rejects a corpus of broken payloads with the error and precedence §5 states — and that
# Vitalscan's two decoders (through the tensor-verdict helper) give the same verdicts, but where
# §5.4's known difference says otherwise. Prints TAP.
#
#   independent-decoder.py DATA_DIR [VITALSCAN_CLI TENSOR_VERDICT]
#
# Without the two programs only the golden vectors are checked.
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

# ---- the format (§2, §3) -----------------------------------------------------------------------

HEADER = struct.Struct("<4sHHIHHHHIqI")  # 36 bytes, little-endian
assert HEADER.size == 36
FRAME = 12 * 72 * 72
MAX_FRAMES = 5400
FLAG_DELTA = 1
CHUNK_SIZE = 4 * 1024 * 1024


class PayloadError(Exception):
    """A payload rejected with one of the codes of §5."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class Corrupt(Exception):
    """Deflate or gzip data that §5.4 calls corrupt."""


class InputEnded(Exception):
    """The input ended inside a unit that §5.4 reads whole."""


def check_header(head):
    """§5.1, in order. Returns the fields as a dict."""
    (magic, version, flags, frames, channels, height, width, reserved, rate_mhz, start_us,
     crc) = HEADER.unpack_from(head, 0)
    if magic != b"VTSR":
        raise PayloadError("BAD_MAGIC")
    if version != 1:
        raise PayloadError("BAD_VERSION")
    if flags & ~FLAG_DELTA or reserved != 0:
        raise PayloadError("BAD_FLAGS")
    if (channels, height, width) != (12, 72, 72):
        raise PayloadError("BAD_DIMENSIONS")
    if not 1000 <= rate_mhz <= 240000:
        raise PayloadError("BAD_FRAME_RATE")
    if frames == 0:
        raise PayloadError("EMPTY")
    if frames > MAX_FRAMES:
        raise PayloadError("TOO_MANY_FRAMES")
    return {"flags": flags, "frames": frames, "rate_mhz": rate_mhz, "start_us": start_us,
            "crc": crc}


def payload_size(header):
    return 36 + FRAME * header["frames"]


# Delta coding (§4), a whole frame at a time: bytes as lanes of one big integer, added or
# subtracted without carries between lanes.
LANE_HIGH = int.from_bytes(b"\x80" * FRAME, "little")
LANE_LOW = int.from_bytes(b"\x7f" * FRAME, "little")


def lanes_add(a, b):
    return ((a & LANE_LOW) + (b & LANE_LOW)) ^ ((a ^ b) & LANE_HIGH)


def lanes_sub(a, b):
    return ((a | LANE_HIGH) - (b & LANE_LOW)) ^ (((a ^ b) & LANE_HIGH) ^ LANE_HIGH)


def delta_decode(body):
    out = bytearray(body[:FRAME])
    previous = int.from_bytes(body[:FRAME], "little")
    for start in range(FRAME, len(body), FRAME):
        previous = lanes_add(int.from_bytes(body[start:start + FRAME], "little"), previous)
        out += previous.to_bytes(FRAME, "little")
    return bytes(out)


def delta_encode(raw):
    out = bytearray(raw[:FRAME])
    for start in range(FRAME, len(raw), FRAME):
        a = int.from_bytes(raw[start:start + FRAME], "little")
        b = int.from_bytes(raw[start - FRAME:start], "little")
        out += lanes_sub(a, b).to_bytes(FRAME, "little")
    return bytes(out)


# ---- decoding (§5) -----------------------------------------------------------------------------

def finish(plain, header):
    """§5.2 steps 4–5, §5.3 steps 6–7: the body CRC, then the delta."""
    body = plain[36:]
    if zlib.crc32(body) != header["crc"]:
        raise PayloadError("CHECKSUM")
    if header["flags"] & FLAG_DELTA:
        body = delta_decode(body)
    return header, body


def decode_plain(payload):
    """§5.2."""
    if len(payload) < 36:
        raise PayloadError("TRUNCATED", "no whole header")
    header = check_header(payload[:36])
    size = payload_size(header)
    if len(payload) < size:
        raise PayloadError("TRUNCATED")
    if len(payload) > size:
        raise PayloadError("OVERSIZED")
    return finish(payload, header)


class Output:
    """The bytes a gzip member puts out, judged as they come (§5.3 steps 1–4)."""

    def __init__(self):
        self.data = bytearray()
        self.header = None
        self.limit = None

    def put(self, piece):
        self.data += piece
        if self.header is None and len(self.data) >= 36:
            self.header = check_header(bytes(self.data[:36]))
            self.limit = payload_size(self.header)
        if self.limit is not None and len(self.data) > self.limit:
            raise PayloadError("OVERSIZED", "a byte past the declared size")


class Bits:
    """LSB-first bit reader over bytes; running out of input raises InputEnded."""

    def __init__(self, data, pos):
        self.data = data
        self.pos = pos
        self.hold = 0
        self.count = 0

    def need(self, n):
        while self.count < n:
            if self.pos >= len(self.data):
                raise InputEnded()
            self.hold |= self.data[self.pos] << self.count
            self.pos += 1
            self.count += 8

    def take(self, n):
        self.need(n)
        value = self.hold & ((1 << n) - 1)
        self.hold >>= n
        self.count -= n
        return value

    def align(self):
        self.hold >>= self.count & 7
        self.count -= self.count & 7

    def take_bytes(self, n):
        """Whole bytes after align(); fewer when the input ends."""
        out = bytearray()
        while self.count >= 8 and len(out) < n:
            out.append(self.take(8))
        want = n - len(out)
        out += self.data[self.pos:self.pos + want]
        self.pos += min(want, len(self.data) - self.pos)
        return bytes(out)


class Huffman:
    """A canonical code. Incomplete codes are allowed only where §5.4 allows them."""

    def __init__(self, lengths, kind):
        self.max = max(lengths) if lengths else 0
        self.counts = [0] * 16
        for length in lengths:
            self.counts[length] += 1
        self.counts[0] = 0
        self.symbols = [s for length in range(1, 16)
                        for s, l in enumerate(lengths) if l == length]
        left = 1
        for length in range(1, 16):
            left = (left << 1) - self.counts[length]
            if left < 0:
                raise Corrupt(f"oversubscribed {kind} code")
        if self.max == 0:
            if kind == "length":
                raise Corrupt("no literal/length codes")
            return                      # empty: any use is corrupt (distance), or reads 0s
        if left > 0 and (kind == "code-length" or self.max != 1):
            raise Corrupt(f"incomplete {kind} code")

    def decode(self, bits):
        if self.max == 0:
            bits.take(1)
            raise Corrupt("a code from an empty code")
        code = first = index = 0
        for length in range(1, self.max + 1):
            code |= bits.take(1)
            count = self.counts[length]
            if code - first < count:
                return self.symbols[index + code - first]
            index += count
            first = (first + count) << 1
            code <<= 1
        raise Corrupt("an unassigned code")


LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83,
               99, 115, 131, 163, 195, 227, 258]
LENGTH_EXTRA = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
             1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
DIST_EXTRA = [0, 0, 0, 0] + [e for e in range(1, 14) for _ in (0, 1)]
CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
FIXED_LENGTHS = Huffman([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8, "length")
FIXED_DISTANCES = Huffman([5] * 32, "distance")


def inflate(bits, out):
    """RFC 1951, one symbol at a time, putting each one's bytes out before reading on."""
    while True:
        final = bits.take(3)
        block_type, final = final >> 1, final & 1
        if block_type == 0:
            bits.align()
            lengths = bits.take(32)
            length, complement = lengths & 0xFFFF, lengths >> 16
            if length != complement ^ 0xFFFF:
                raise Corrupt("stored block lengths")
            piece = bits.take_bytes(length)
            if piece:
                out.put(piece)
            if len(piece) < length:
                raise InputEnded()
        elif block_type == 3:
            raise Corrupt("block type 3")
        else:
            if block_type == 1:
                lit, dist = FIXED_LENGTHS, FIXED_DISTANCES
            else:
                lit, dist = read_dynamic_codes(bits)
            while True:
                symbol = lit.decode(bits)
                if symbol < 256:
                    out.put(bytes((symbol,)))
                    continue
                if symbol == 256:
                    break
                if symbol > 285:
                    raise Corrupt("literal/length code 286 or 287")
                length = LENGTH_BASE[symbol - 257] + bits.take(LENGTH_EXTRA[symbol - 257])
                code = dist.decode(bits)
                if code > 29:
                    raise Corrupt("distance code 30 or 31")
                distance = DIST_BASE[code] + bits.take(DIST_EXTRA[code])
                if distance > len(out.data) or distance > 32768:
                    raise Corrupt("distance too far back")
                start = len(out.data) - distance
                piece = bytearray()
                for i in range(length):
                    piece.append(out.data[start + i] if start + i < len(out.data)
                                 else piece[start + i - len(out.data)])
                out.put(bytes(piece))
        if final:
            bits.align()
            return


def read_dynamic_codes(bits):
    counts = bits.take(14)
    n_lengths, n_distances, n_codes = 257 + (counts & 31), 1 + ((counts >> 5) & 31), \
        4 + (counts >> 10)
    if n_lengths > 286 or n_distances > 30:
        raise Corrupt("too many length or distance codes")
    code_lengths = [0] * 19
    for i in range(n_codes):
        code_lengths[CODE_LENGTH_ORDER[i]] = bits.take(3)
    codes = Huffman(code_lengths, "code-length")
    lengths = []
    while len(lengths) < n_lengths + n_distances:
        if codes.max == 0:              # an empty code-length code reads each length as 0
            bits.take(1)
            lengths.append(0)
            continue
        symbol = codes.decode(bits)
        if symbol < 16:
            lengths.append(symbol)
            continue
        extra = {16: 2, 17: 3, 18: 7}[symbol]
        repeat = bits.take(extra)
        if symbol == 16:
            if not lengths:
                raise Corrupt("repeat with no length before it")
            value, repeat = lengths[-1], 3 + repeat
        else:
            value, repeat = 0, (3 if symbol == 17 else 11) + repeat
        if len(lengths) + repeat > n_lengths + n_distances:
            raise Corrupt("repeat past the lengths")
        lengths += [value] * repeat
    if lengths[256] == 0:
        raise Corrupt("no end-of-block code")
    return (Huffman(lengths[:n_lengths], "length"),
            Huffman(lengths[n_lengths:], "distance"))


def gunzip_exact(payload):
    """§5.3 steps 1–5, byte by byte: what a decoder does when zlib reports a fault."""
    out = Output()
    try:
        pos = 2
        def take(n):
            nonlocal pos
            if pos + n > len(payload):
                raise InputEnded()
            pos += n
            return payload[pos - n:pos]
        method, flags = take(2)
        if method != 8:
            raise Corrupt("compression method")
        if flags & 0xE0:
            raise Corrupt("reserved flag bits")
        take(6)                                   # MTIME, XFL, OS
        if flags & 4:
            take(struct.unpack("<H", take(2))[0])
        for flag in (8, 16):                      # FNAME, FCOMMENT
            if flags & flag:
                while take(1) != b"\0":
                    pass
        if flags & 2:
            if struct.unpack("<H", take(2))[0] != zlib.crc32(payload[:pos - 2]) & 0xFFFF:
                raise Corrupt("header CRC")
        bits = Bits(payload, pos)
        inflate(bits, out)
        pos = bits.pos - bits.count // 8
        crc = struct.unpack("<I", take(4))[0]
        if crc != zlib.crc32(out.data):
            raise Corrupt("trailer CRC-32")
        isize = struct.unpack("<I", take(4))[0]
        if isize != len(out.data) & 0xFFFFFFFF:
            raise Corrupt("trailer ISIZE")
    except Corrupt as fault:
        raise PayloadError("COMPRESSION", str(fault))
    except InputEnded:
        raise PayloadError("TRUNCATED", "the input ended")
    if out.header is None or len(out.data) < out.limit:
        raise PayloadError("TRUNCATED", "the member ended early")
    if pos != len(payload):
        raise PayloadError("OVERSIZED", "bytes after the member")
    return bytes(out.data), out.header


def gunzip(payload):
    """§5.3 with zlib for speed; when zlib finds a fault, gunzip_exact() says which comes first."""
    if len(payload) >= 1 << 32:
        raise PayloadError("OVERSIZED", "4 GiB or more")
    inflater = zlib.decompressobj(31)
    try:
        head = inflater.decompress(payload, 36)
        if len(head) < 36:
            raise PayloadError("TRUNCATED")
        header = check_header(head)
        limit = payload_size(header)
        rest = inflater.decompress(inflater.unconsumed_tail, limit + 1 - 36)
    except zlib.error:
        return gunzip_exact(payload)
    if 36 + len(rest) > limit:
        raise PayloadError("OVERSIZED")
    if 36 + len(rest) < limit or not inflater.eof:
        raise PayloadError("TRUNCATED")
    if inflater.unused_data:
        raise PayloadError("OVERSIZED")
    return head + rest, header


def decode(payload):
    """Returns (header fields, raw frames) or raises PayloadError."""
    if payload[:2] == b"\x1f\x8b":
        plain, header = gunzip(payload)
        return finish(plain, header)
    return decode_plain(payload)


# ---- encoding (§1.1, §1.2) ---------------------------------------------------------------------

def encode(raw, rate_mhz, start_us, delta, gzip, level=-1):
    frames = len(raw) // FRAME
    body = delta_encode(raw) if delta else raw
    plain = HEADER.pack(b"VTSR", 1, FLAG_DELTA if delta else 0, frames, 12, 72, 72, 0, rate_mhz,
                        start_us, zlib.crc32(body)) + body
    if not gzip:
        return plain
    level = 6 if level == -1 else level
    strategy = zlib.Z_RLE if delta else zlib.Z_DEFAULT_STRATEGY
    chunks = [plain[i:i + CHUNK_SIZE] for i in range(0, len(plain), CHUNK_SIZE)]
    deflated = []
    for i, chunk in enumerate(chunks):
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15, 8, strategy)
        flush = zlib.Z_FINISH if i == len(chunks) - 1 else zlib.Z_SYNC_FLUSH
        deflated.append(compressor.compress(chunk) + compressor.flush(flush))
    xfl = 2 if level == 9 else 4 if level < 2 or strategy == zlib.Z_RLE else 0
    extra = b""
    if len(chunks) > 1:
        data = struct.pack("<I", CHUNK_SIZE) + b"".join(struct.pack("<I", len(d))
                                                        for d in deflated)
        extra = struct.pack("<H", 4 + len(data)) + b"VT" + struct.pack("<H", len(data)) + data
    head = bytes((0x1F, 0x8B, 8, 4 if extra else 0, 0, 0, 0, 0, xfl, 255)) + extra
    return head + b"".join(deflated) + struct.pack("<II", zlib.crc32(plain),
                                                    len(plain) & 0xFFFFFFFF)


# ---- the tests ---------------------------------------------------------------------------------

GOLDEN_START_US = 1767225600000000


def golden_frames(n=3):
    return bytes(((7 * f + 31 * c + 3 * y + 5 * x + ((x * y) >> 3)) & 0xFF)
                 for f in range(n) for c in range(12) for y in range(72) for x in range(72))


class Tap:
    def __init__(self):
        self.results = []

    def check(self, name, ok, detail=""):
        self.results.append((name, ok, detail))

    def report(self):
        print("TAP version 13")
        print(f"1..{len(self.results)}")
        for i, (name, ok, detail) in enumerate(self.results, 1):
            print(f"{'ok' if ok else 'not ok'} {i} {name}{' # ' + detail if detail else ''}")
        return 0 if all(ok for _, ok, _ in self.results) else 1


def differ(mine, theirs, whose):
    """Where two encodings part, for a test's detail."""
    at = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b),
              min(len(mine), len(theirs)))
    return f"re-encoded to {len(mine)} bytes, {whose} {len(theirs)}: they differ from byte {at}"


def verdict(payload):
    """The independent decoder's verdict, in the helper's words."""
    try:
        header, raw = decode(payload)
    except PayloadError as error:
        return f"error {error.code}"
    return f"ok {header['frames']} {zlib.crc32(raw):08x}"


def test_golden(tap, data_dir):
    expected = golden_frames()
    cases = [("tensor-plain.vtsr", False, False), ("tensor-gzip.vtsr", False, True),
             ("tensor-delta.vtsr", True, False), ("tensor-delta-gzip.vtsr", True, True)]
    for name, delta, gzip in cases:
        payload = (data_dir / name).read_bytes()
        try:
            header, raw = decode(payload)
            ok = (header["frames"], header["rate_mhz"], header["start_us"], raw) == \
                (3, 30000, GOLDEN_START_US, expected)
            detail = "" if ok else f"frames={header['frames']}"
        except PayloadError as error:
            ok, detail = False, repr(error)
        tap.check(f"/core/tensor/independent/decode/{name}", ok, detail)
        again = encode(expected, 30000, GOLDEN_START_US, delta, gzip, level=9)
        tap.check(f"/core/tensor/independent/encode/{name}", again == payload,
                  "" if again == payload else differ(again, payload, "golden"))


def run_verdicts(helper, paths):
    done = subprocess.run([helper] + [str(p) for p in paths], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{helper} failed with status {done.returncode}")
    lines = done.stdout.splitlines()
    verdicts = {}
    for line in lines:
        path, by_decode, by_reader = line.split("\t")
        verdicts[path] = (by_decode, by_reader)
    return verdicts


def test_cli_payloads(tap, cli, helper, scratch):
    """Every mode the CLI writes, unindexed and indexed: decoded here, re-encoded byte for byte."""
    modes = {"plain": (False, False), "gzip": (False, True), "delta": (True, False),
             "delta-gzip": (True, True)}
    written = []
    for frames in (1, 67, 68, 150):
        for mode in modes:
            path = scratch / f"cli-{mode}-{frames}.vtsr"
            subprocess.run([cli, "placeholder", "--frames", str(frames), "--mode", mode, path],
                           check=True, capture_output=True)
            written.append((path, mode, frames))
    verdicts = run_verdicts(helper, [p for p, _, _ in written])
    for path, mode, frames in written:
        payload = path.read_bytes()
        name = f"/core/tensor/independent/cli/{mode}/{frames}-frames"
        delta, gzip = modes[mode]
        try:
            header, raw = decode(payload)
        except PayloadError as error:
            tap.check(name, False, repr(error))
            continue
        indexed = payload[:2] == b"\x1f\x8b" and payload[3] == 4
        again = encode(raw, header["rate_mhz"], header["start_us"], delta, gzip)
        mine = f"ok {header['frames']} {zlib.crc32(raw):08x}"
        theirs = verdicts[str(path)]
        problems = []
        if header["frames"] != frames:
            problems.append(f"{header['frames']} frames")
        if gzip and indexed != (frames > 67):
            problems.append("index where there should be none" if indexed else "no index")
        if again != payload:
            problems.append(differ(again, payload, "the CLI's"))
        if theirs != (mine, mine):
            problems.append(f"Vitalscan says {theirs}, this decoder {mine}")
        tap.check(name, not problems, "; ".join(problems))


# ---- the corpus of broken payloads: (name, bytes, what §5 says, what Vitalscan says if not) ----

def gzip_member(content, head=None, deflated=None, crc_xor=0, size_xor=0):
    head = head if head is not None else bytes((0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255))
    if deflated is None:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        deflated = compressor.compress(content) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(content) ^ crc_xor,
                          (len(content) & 0xFFFFFFFF) ^ size_xor)
    return head + deflated + trailer


def raw_deflate(content, flush=zlib.Z_FINISH):
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(flush)


def patch(payload, offset, new, fix_crc=False):
    out = bytearray(payload)
    out[offset:offset + len(new)] = new
    if fix_crc:
        out[32:36] = struct.pack("<I", zlib.crc32(out[36:]))
    return bytes(out)


class BitWriter:
    """For hand-made deflate: LSB-first fields, MSB-first Huffman codes."""

    def __init__(self):
        self.bits = []

    def field(self, value, n):
        self.bits += [(value >> i) & 1 for i in range(n)]

    def code(self, value, n):
        self.bits += [(value >> i) & 1 for i in reversed(range(n))]

    def fixed_symbol(self, symbol):
        if symbol < 144:
            self.code(0x30 + symbol, 8)
        elif symbol < 256:
            self.code(0x190 + symbol - 144, 9)
        elif symbol < 280:
            self.code(symbol - 256, 7)
        else:
            self.code(0xC0 + symbol - 280, 8)

    def symbol(self, codes, symbol):
        self.code(*codes[symbol])

    def stored_block(self, data, nlen=None):
        """A stored block, not final; NLEN is LEN's complement unless given."""
        self.field(0, 3)
        self.bits += [0] * (-len(self.bits) % 8)
        self.field(len(data), 16)
        self.field(len(data) ^ 0xFFFF if nlen is None else nlen, 16)
        for byte in data:
            self.field(byte, 8)

    def bytes(self):
        padded = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(sum(bit << i for i, bit in enumerate(padded[k:k + 8]))
                     for k in range(0, len(padded), 8))


def canonical_codes(lengths):
    """RFC 1951 §3.2.2: {symbol: (code, length)} for the symbols that have a length."""
    counts = [0] * 16
    for length in lengths:
        counts[length] += 1
    counts[0] = 0
    next_code, code = [0] * 16, 0
    for length in range(1, 16):
        code = (code + counts[length - 1]) << 1
        next_code[length] = code
    codes = {}
    for symbol, length in enumerate(lengths):
        if length:
            codes[symbol] = (next_code[length], length)
            next_code[length] += 1
    return codes


def lengths_of(count, assigned):
    """A list of count code lengths, 0 but for the {symbol: length} given."""
    return [assigned.get(symbol, 0) for symbol in range(count)]


def complete_lengths(symbols):
    """Lengths that make a complete code of these symbols (one bit shorter for the first few)."""
    bits = (len(symbols) - 1).bit_length()
    shorter = (1 << bits) - len(symbols)
    return {symbol: bits - (i < shorter) for i, symbol in enumerate(sorted(symbols))}


# The code-length code of the dynamic blocks below: every length, and the repeats 16 and 18.
CODE_LENGTH_CODE = complete_lengths(list(range(16)) + [16, 18])


def dynamic_header(writer, lit, dist, n_lit=286, n_dist=None, final=1,
                   code_lengths=CODE_LENGTH_CODE, sequence=None):
    """Writes a dynamic block's header: HLIT, HDIST, HCLEN (always 19 lengths), the code-length
    code, then the lengths of the literal/length codes {symbol: length} and distance codes, or
    instead the (code-length symbol, extra bits, value) of sequence. Returns both codes."""
    n_dist = n_dist or max(dist, default=0) + 1
    lengths = lengths_of(n_lit, lit) + lengths_of(n_dist, dist)
    writer.field(final, 1)
    writer.field(2, 2)
    writer.field(n_lit - 257, 5)
    writer.field(n_dist - 1, 5)
    writer.field(19 - 4, 4)
    precode = lengths_of(19, code_lengths)
    for symbol in CODE_LENGTH_ORDER:
        writer.field(precode[symbol], 3)
    codes = canonical_codes(precode)
    for symbol, extra, value in sequence or [(length, 0, 0) for length in lengths]:
        if codes:
            writer.symbol(codes, symbol)
        else:
            writer.field(0, 1)          # an empty code-length code: one bit a length
        writer.field(value, extra)
    return canonical_codes(lengths[:n_lit]), canonical_codes(lengths[n_lit:])


# A payload whose body is all zeros, for hand-made deflate: runs of 258 and single literals.
ZEROS = encode(bytes(FRAME), 30000, 0, False, False)


def zeros_member(block, plain=ZEROS, stored=37, head=None, cut=None):
    """A member for ZEROS (or another payload whose body is all zeros): a stored block puts out
    its first stored bytes (37: the header and one zero, so that Vitalscan's zlib pass that
    reads the header stops before what follows), then block (writer, plain, done) writes the
    rest. cut keeps only that many bytes of what block wrote, and no trailer."""
    writer = BitWriter()
    if stored:
        writer.stored_block(plain[:stored])
    prefix = len(writer.bits) // 8
    block(writer, plain, stored)
    deflated = writer.bytes()
    if cut is not None:
        return (head or bytes((0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255))) + deflated[:prefix + cut]
    return gzip_member(plain, head=head, deflated=deflated)


def put_rest(writer, plain, done, literal, run=None):
    """plain[done:], whose bytes from 36 on are zeros: literals up to byte 37 (the first zero,
    so that a run has a byte one back to copy), then runs of 258 zeros, run (done) writing the
    one that starts at done, and single ones (all single without run)."""
    while done < 37:
        literal(plain[done])
        done += 1
    left = len(plain) - done
    while run and left >= 258:
        run(len(plain) - left)
        left -= 258
    for _ in range(left):
        literal(0)


def fixed_block(run_symbol=285, odd_distance=None):
    """A final fixed-Huffman block, its runs coded with run_symbol (length 258, or what
    libdeflate reads for 286 and 287) and distance 1; odd_distance = (from, code, extra bits,
    their value) codes the runs from that offset on with that distance code instead."""
    def block(writer, plain, done):
        writer.field(1, 1)
        writer.field(1, 2)

        def run(at):
            writer.fixed_symbol(run_symbol)
            if odd_distance and at >= odd_distance[0]:
                writer.code(odd_distance[1], 5)
                writer.field(odd_distance[3], odd_distance[2])
            else:
                writer.code(0, 5)
        put_rest(writer, plain, done, writer.fixed_symbol, run)
        writer.fixed_symbol(256)
    return block


def dynamic_block(n_lit=286, n_dist=None, run_symbol=285, lit=None, dist=None):
    """A final dynamic block: by default a complete literal/length code and a distance code of
    one one-bit code (distance 1), its runs coded with run_symbol (None: literals only)."""
    def block(writer, plain, done):
        symbols = set(plain[done:37]) | {0, 256} | ({run_symbol} if run_symbol else set())
        lit_codes, dist_codes = dynamic_header(writer, lit or complete_lengths(symbols),
                                               {0: 1} if dist is None else dist, n_lit, n_dist)

        def run(at):
            writer.symbol(lit_codes, run_symbol)
            writer.symbol(dist_codes, 0)
        put_rest(writer, plain, done, lambda byte: writer.symbol(lit_codes, byte),
                 run if run_symbol else None)
        writer.symbol(lit_codes, 256)
    return block


def raw_block(*fields):
    """Deflate data written field by field: (value, bits) LSB first, or ("code", value, bits)
    MSB first, or ("fixed", symbol)."""
    def block(writer, plain, done):
        for item in fields:
            if item[0] == "code":
                writer.code(item[1], item[2])
            elif item[0] == "fixed":
                writer.fixed_symbol(item[1])
            else:
                writer.field(*item)
    return block


def corpus():
    raw1 = golden_frames(1)
    plain1 = encode(raw1, 30000, GOLDEN_START_US, False, False)
    plain2 = encode(golden_frames(2), 30000, GOLDEN_START_US, False, False)
    gz2 = encode(golden_frames(2), 30000, GOLDEN_START_US, False, True)
    cases = []

    def case(name, payload, expected, vitalscan=None):
        cases.append((name, payload, expected, vitalscan or expected))

    # §5.2, plain: size before header, header checks in order, then size, then CRC.
    case("plain/empty", b"", "error TRUNCATED")
    case("plain/one-byte-1f", b"\x1f", "error TRUNCATED")
    case("plain/35-bytes-bad-magic", b"XTSR" + plain1[4:35], "error TRUNCATED")
    case("plain/bad-magic-and-cut", patch(plain1, 0, b"XTSR")[:100], "error BAD_MAGIC")
    case("plain/version-2", patch(plain1, 4, b"\2\0"), "error BAD_VERSION")
    case("plain/version-2-and-bad-flags", patch(patch(plain1, 4, b"\2\0"), 6, b"\2\0"),
         "error BAD_VERSION")
    case("plain/flag-bit-1", patch(plain1, 6, b"\2\0"), "error BAD_FLAGS")
    case("plain/reserved-1", patch(plain1, 18, b"\1\0"), "error BAD_FLAGS")
    case("plain/bad-flags-and-dimensions", patch(patch(plain1, 6, b"\2\0"), 12, b"\3\0"),
         "error BAD_FLAGS")
    case("plain/height-64", patch(plain1, 14, b"\x40\0"), "error BAD_DIMENSIONS")
    case("plain/width-64-and-rate-0", patch(patch(plain1, 16, b"\x40\0"), 20, bytes(4)),
         "error BAD_DIMENSIONS")
    case("plain/rate-999", patch(plain1, 20, struct.pack("<I", 999)), "error BAD_FRAME_RATE")
    case("plain/rate-240001-and-0-frames",
         patch(patch(plain1, 20, struct.pack("<I", 240001)), 8, bytes(4)),
         "error BAD_FRAME_RATE")
    case("plain/rate-1000", patch(plain1, 20, struct.pack("<I", 1000)), verdict(plain1))
    case("plain/rate-240000", patch(plain1, 20, struct.pack("<I", 240000)), verdict(plain1))
    case("plain/0-frames-with-body", patch(plain1, 8, bytes(4)), "error EMPTY")
    case("plain/5401-frames", patch(plain1, 8, struct.pack("<I", 5401)), "error TOO_MANY_FRAMES")
    case("plain/5400-frames-one-body", patch(plain1, 8, struct.pack("<I", 5400)),
         "error TRUNCATED")
    case("plain/one-byte-short", plain1[:-1], "error TRUNCATED")
    case("plain/one-byte-long", plain1 + b"\0", "error OVERSIZED")
    case("plain/bad-crc", patch(plain1, 32, b"\0\0\0\0"), "error CHECKSUM")
    case("plain/bad-crc-and-short", patch(plain1, 32, b"\0\0\0\0")[:-1], "error TRUNCATED")
    for start in (-(1 << 63), -1, (1 << 63) - 1):
        case(f"plain/capture-start-{start}", patch(plain1, 24, struct.pack("<q", start)),
             verdict(plain1))

    # §5.3 step 1: the gzip header, and the content up to 36 bytes.
    case("gzip/1f-8b-only", b"\x1f\x8b", "error TRUNCATED")
    case("gzip/cm-7-alone", b"\x1f\x8b\x07", "error TRUNCATED")
    case("gzip/cm-7-with-flg", b"\x1f\x8b\x07\x00", "error COMPRESSION")
    case("gzip/cm-7", gzip_member(plain1, head=b"\x1f\x8b\x07\0\0\0\0\0\0\xff"),
         "error COMPRESSION")
    case("gzip/reserved-flag", gzip_member(plain1, head=b"\x1f\x8b\x08\x20\0\0\0\0\0\xff"),
         "error COMPRESSION")
    case("gzip/cut-in-mtime", b"\x1f\x8b\x08\x00\x00\x00", "error TRUNCATED")
    rich = b"\x1f\x8b\x08\x1e\x01\x02\x03\x04\x02\x03" + b"\x06\x00AB\x02\x00xy" \
        + b"scan.vtsr\0a comment\0"
    rich_crc = struct.pack("<H", zlib.crc32(rich) & 0xFFFF)
    case("gzip/every-optional-field", gzip_member(plain1, head=rich + rich_crc), verdict(plain1))
    case("gzip/header-crc-wrong",
         gzip_member(plain1, head=rich + bytes((rich_crc[0] ^ 1, rich_crc[1]))),
         "error COMPRESSION")
    case("gzip/cut-in-name", (rich + rich_crc)[:25], "error TRUNCATED")
    case("gzip/bad-block-type-first", gzip_member(plain1, deflated=b"\x07\x00"),
         "error COMPRESSION")
    case("gzip/20-byte-content", gzip_member(plain1[:20]), "error TRUNCATED")
    case("gzip/20-byte-content-bad-crc", gzip_member(plain1[:20], crc_xor=1), "error COMPRESSION")
    case("gzip/cut-after-20-bytes-out", raw_head_cut(plain1), "error TRUNCATED")

    # Step 2: the header as soon as its 36 bytes are out.
    bad_magic = patch(plain2, 0, b"XTSR")
    bad_magic_member = gzip_member(bad_magic)
    case("gzip/bad-magic-and-cut", bad_magic_member[:len(bad_magic_member) // 2],
         "error BAD_MAGIC")
    case("gzip/0-frames-with-body", gzip_member(patch(plain2, 8, bytes(4))), "error EMPTY")
    case("gzip/version-2-then-bad-block",
         gzip_member(plain1[:36], deflated=raw_deflate(patch(plain1[:36], 4, b"\2\0"),
                                                      zlib.Z_SYNC_FLUSH) + b"\x07\x00"),
         "error BAD_VERSION")
    case("gzip/good-header-then-bad-block",
         gzip_member(plain1[:36], deflated=raw_deflate(plain1[:36], zlib.Z_SYNC_FLUSH)
                     + b"\x07\x00"),
         "error COMPRESSION")
    case("gzip/header-only-bad-trailer", gzip_member(plain1[:36], crc_xor=1), "error COMPRESSION")
    case("gzip/5401-frames-header-only", gzip_member(patch(plain1[:36], 8,
                                                           struct.pack("<I", 5401))),
         "error TOO_MANY_FRAMES")

    # Step 3: bytes 37 … L.
    case("gzip/cut-in-body", gz2[:len(gz2) // 2], "error TRUNCATED")
    case("gzip/one-frame-of-two", gzip_member(plain2[:36 + FRAME]), "error TRUNCATED")
    case("gzip/one-frame-of-two-then-junk", gzip_member(plain2[:36 + FRAME]) + b"junk",
         "error TRUNCATED")
    case("gzip/one-frame-of-two-bad-trailer", gzip_member(plain2[:36 + FRAME], crc_xor=1),
         "error COMPRESSION")
    garbled = bytearray(gz2)
    for i in range(2000, 2040):
        garbled[i] ^= 0xA5
    case("gzip/garbled-body", bytes(garbled), None)

    # Step 4: after byte L.
    case("gzip/one-byte-more", gzip_member(plain1 + b"\x42"), "error OVERSIZED")
    case("gzip/one-byte-more-bad-crc", gzip_member(plain1 + b"\x42", crc_xor=1),
         "error OVERSIZED")
    case("gzip/one-byte-more-bad-isize", gzip_member(plain1 + b"\x42", size_xor=1),
         "error OVERSIZED")
    case("gzip/bomb", gzip_member(plain1 + bytes(1 << 20)), "error OVERSIZED")
    case("gzip/bad-trailer-crc", gzip_member(plain1, crc_xor=1), "error COMPRESSION")
    case("gzip/bad-trailer-isize", gzip_member(plain1, size_xor=1), "error COMPRESSION")
    case("gzip/bad-crc-and-cut-isize", gzip_member(plain1, crc_xor=1)[:-2], "error COMPRESSION")
    case("gzip/cut-in-trailer-crc", gzip_member(plain1)[:-6], "error TRUNCATED")
    case("gzip/cut-in-isize", gzip_member(plain1)[:-2], "error TRUNCATED")
    case("gzip/bad-trailer-and-body-crc", gzip_member(patch(plain1, 32, bytes(4)), crc_xor=1),
         "error COMPRESSION")

    # Step 5 and 6: after the member, then the body CRC.
    case("gzip/trailing-byte", gzip_member(plain1) + b"\0", "error OVERSIZED")
    case("gzip/two-members", gzip_member(plain1) * 2, "error OVERSIZED")
    case("gzip/body-crc", gzip_member(patch(plain1, 32, bytes(4))), "error CHECKSUM")
    case("gzip/xfl-mtime-os-anything",
         gzip_member(plain1, head=b"\x1f\x8b\x08\x00\xff\xff\xff\xff\x07\x0b"), verdict(plain1))

    # §1.2: an index that lies changes nothing.
    indexed = encode(golden_frames(70), 30000, GOLDEN_START_US, True, True)
    swapped = bytearray(indexed)
    swapped[20:24], swapped[24:28] = indexed[24:28], indexed[20:24]
    case("index/lengths-swapped", bytes(swapped), verdict(indexed))
    case("index/cut-in-second-chunk", indexed[:len(indexed) - 1000], "error TRUNCATED")

    # §5.4: deflate data, each fault after the header unless named otherwise (in stream order,
    # after Vitalscan's zlib pass over the first 36 bytes, so its libdeflate pass sees it).
    ok = verdict(ZEROS)
    case("deflate/fixed-block", zeros_member(fixed_block()), ok)
    case("deflate/dynamic-block-one-distance-code-of-one-bit", zeros_member(dynamic_block()), ok)
    case("deflate/dynamic-block-from-the-start", zeros_member(dynamic_block(), stored=0), ok)
    case("deflate/no-distance-code", zeros_member(
        dynamic_block(run_symbol=None, lit={0: 1, 256: 1}, dist={}, n_dist=1)), ok)
    case("deflate/stored-nlen-not-the-complement",
         zeros_member(raw_block((0, 3), (0, 5), (1, 16), (1, 16))), "error COMPRESSION")
    case("deflate/block-type-3", zeros_member(raw_block((1, 1), (3, 2))), "error COMPRESSION")
    lit3 = {0: 1, 256: 2, 285: 2}
    case("deflate/oversubscribed-literal-length-code",
         zeros_member(dynamic_block(lit={0: 1, 256: 1, 285: 1})), "error COMPRESSION")
    case("deflate/incomplete-literal-length-code",
         zeros_member(dynamic_block(lit={0: 2, 256: 2, 285: 2})), "error COMPRESSION")
    case("deflate/incomplete-distance-code",
         zeros_member(dynamic_block(lit=lit3, dist={0: 2, 1: 2})), "error COMPRESSION")

    def header_then(*fields, lit=lit3, dist=None, n_dist=None, **options):
        """A dynamic block's header, then these fields."""
        def block(writer, plain, done):
            dynamic_header(writer, lit, {0: 1} if dist is None else dist, n_dist=n_dist,
                           **options)
            raw_block(*fields)(writer, plain, done)
        return block
    case("deflate/no-end-of-block-code", zeros_member(header_then(lit={0: 1, 285: 1})),
         "error COMPRESSION")
    case("deflate/unassigned-half-of-a-one-bit-distance-code",
         zeros_member(header_then(("code", 3, 2), ("code", 1, 1))), "error COMPRESSION")
    case("deflate/a-distance-with-no-distance-code",
         zeros_member(header_then(("code", 3, 2), (0, 1), dist={}, n_dist=1)),
         "error COMPRESSION")
    case("deflate/incomplete-code-length-code",
         zeros_member(header_then(code_lengths={0: 2, 1: 2, 2: 2})), "error COMPRESSION")
    case("deflate/oversubscribed-code-length-code",
         zeros_member(header_then(code_lengths={0: 1, 1: 1, 2: 1})), "error COMPRESSION")
    # An empty code-length code is no fault by itself: every length reads as 0, one bit each.
    case("deflate/empty-code-length-code",
         zeros_member(header_then(code_lengths={})), "error COMPRESSION")
    case("deflate/empty-code-length-code-cut-in-the-lengths",
         zeros_member(header_then(code_lengths={}), cut=20), "error TRUNCATED")
    case("deflate/repeat-with-no-length-before-it",
         zeros_member(header_then(sequence=[(16, 2, 0)])), "error COMPRESSION")
    case("deflate/repeats-past-the-lengths",
         zeros_member(header_then(sequence=[(1, 0, 0)] + [(18, 7, 127)] * 3)),
         "error COMPRESSION")
    case("deflate/distance-too-far-back",        # distance 65 with 37 bytes out
         zeros_member(raw_block((1, 1), (1, 2), ("fixed", 257), ("code", 12, 5), (0, 5))),
         "error COMPRESSION")
    case("deflate/distance-code-30",
         zeros_member(fixed_block(odd_distance=(0, 30, 14, 0))), "error COMPRESSION")
    case("deflate/distance-code-30-with-32-kib-out",  # distance 32,769, not 1
         zeros_member(fixed_block(odd_distance=(40000, 30, 14, 0))), "error COMPRESSION")

    # §5.4's units: where the input ends decides between TRUNCATED and COMPRESSION. A fixed
    # block of literals 144 (9 bits each) puts the unit across a byte boundary: cut there, or
    # one byte on.
    def across(literals, *fields):
        return raw_block((0, 1), (1, 2), *[("fixed", 144)] * literals, *fields)
    hlit_287 = across(5, ("fixed", 256), (1, 1), (2, 2), (30, 5), (0, 5), (15, 4))
    case("units/hlit-287-cut-in-its-14-bits", zeros_member(hlit_287, cut=8),
         "error TRUNCATED")
    case("units/hlit-287-then-the-end", zeros_member(hlit_287, cut=9), "error COMPRESSION")
    too_far = across(6, ("fixed", 257), ("code", 12, 5), (0, 5))
    case("units/too-far-distance-cut-in-its-extra-bits", zeros_member(too_far, cut=9),
         "error TRUNCATED")
    case("units/too-far-distance-then-the-end", zeros_member(too_far, cut=10),
         "error COMPRESSION")
    case("units/distance-code-30-then-the-end",
         zeros_member(across(1, ("fixed", 257), ("code", 30, 5)), cut=3),
         "error COMPRESSION")
    case("units/stored-len-nlen-cut-in-len",
         zeros_member(raw_block((0, 3), (0, 5), (1, 16), (0, 16)), cut=3), "error TRUNCATED")

    # §5.4, the known difference: what libdeflate tolerates after the header, Vitalscan accepts.
    case("known-difference/length-code-286", zeros_member(fixed_block(run_symbol=286), stored=0),
         "error COMPRESSION", ok)
    case("known-difference/288-literal-length-codes-and-code-287", zeros_member(
        dynamic_block(n_lit=288, run_symbol=287)), "error COMPRESSION", ok)
    case("known-difference/287-literal-length-codes",
         zeros_member(dynamic_block(n_lit=287)), "error COMPRESSION", ok)
    case("known-difference/32-distance-codes",
         zeros_member(dynamic_block(n_dist=32)), "error COMPRESSION", ok)
    bad_body = patch(ZEROS, 32, bytes(4))
    case("known-difference/length-code-286-bad-body-crc",
         zeros_member(fixed_block(run_symbol=286), plain=bad_body), "error COMPRESSION",
         "error CHECKSUM")
    # ... but not before the 36th byte is out, nor with a header CRC, nor in a member that is
    # not otherwise sound: then Vitalscan reads it with zlib, as this document does.
    case("known-difference/287-literal-length-codes-from-the-start",
         zeros_member(dynamic_block(n_lit=287), stored=0), "error COMPRESSION")
    hcrc = b"\x1f\x8b\x08\x02\0\0\0\0\0\xff"
    hcrc += struct.pack("<H", zlib.crc32(hcrc) & 0xFFFF)
    case("known-difference/length-code-286-with-header-crc",
         zeros_member(fixed_block(run_symbol=286), head=hcrc), "error COMPRESSION")
    case("known-difference/length-code-286-then-a-byte-after-the-member",
         zeros_member(fixed_block(run_symbol=286)) + b"\0", "error COMPRESSION")
    return cases


def raw_head_cut(plain):
    """A member cut right after its deflate data put out 20 bytes, in a stored block."""
    return b"\x1f\x8b\x08\0\0\0\0\0\0\xff" + b"\x00" + struct.pack("<HH", 36, 36 ^ 0xFFFF) \
        + plain[:20]


def test_corpus(tap, helper, scratch):
    cases = corpus()
    paths = []
    for i, (name, payload, _, _) in enumerate(cases):
        path = scratch / f"corpus-{i:03}.vtsr"
        path.write_bytes(payload)
        paths.append(path)
    verdicts = run_verdicts(helper, paths)
    for path, (name, payload, expected, vitalscan) in zip(paths, cases):
        mine = verdict(payload)
        theirs = verdicts[str(path)]
        problems = []
        if expected is None:                  # corrupt somewhere: any error, the same for all
            expected = vitalscan = mine if mine.startswith("error ") else "an error"
        if mine != expected:
            problems.append(f"this decoder says {mine}, §5 {expected}")
        if theirs != (vitalscan, vitalscan):
            problems.append(f"Vitalscan says {theirs[0]} / reader {theirs[1]}, "
                            f"expected {vitalscan}")
        tap.check(f"/core/tensor/independent/corpus/{name}", not problems, "; ".join(problems))


def main():
    tap = Tap()
    data_dir = Path(sys.argv[1])
    test_golden(tap, data_dir)
    if len(sys.argv) > 3:
        cli, helper = sys.argv[2], sys.argv[3]
        with tempfile.TemporaryDirectory(prefix="vitalscan-independent-") as scratch:
            test_cli_payloads(tap, cli, helper, Path(scratch))
            test_corpus(tap, helper, Path(scratch))
    return tap.report()


if __name__ == "__main__":
    sys.exit(main())
