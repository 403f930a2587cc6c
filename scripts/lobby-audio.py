#!/usr/bin/env python3
"""Test audio for a lobby: spoken sentences joined with pauses, with background noise mixed in.

Standard library only (wave, random), deterministic (seeded). Used by the end-to-end test
and the kiosk benchmark to make answers that pause between sentences (and once think for
4 s), spoken in quiet or over brown noise or babble (several overlapping espeak-ng voices)
at a chosen signal-to-noise ratio.

    lobby-audio.py answer --out a.wav --pauses 0.8,4.0 s1.wav s2.wav s3.wav
    lobby-audio.py noise --out lobby.wav --seconds 600 --noise brown|babble --snr 12 --like answer.wav [--babble ...]
    lobby-audio.py mix --out noisy.wav --noise brown|babble --snr 10 [--babble b1.wav --babble b2.wav] clean.wav
"""
import argparse
import array
import math
import random
import sys
import wave

RATE = 16000


def read(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            sys.exit(f"{path}: 16-bit PCM expected")
        rate, channels = w.getframerate(), w.getnchannels()
        data = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    samples = [x / 32768.0 for x in data[::channels]]
    if rate != RATE:
        samples = resample(samples, rate, RATE)
    return samples


def resample(x, src, dst):
    """Linear interpolation: good enough for test speech (espeak-ng is band-limited)."""
    n = int(len(x) * dst / src)
    out = []
    for i in range(n):
        t = i * src / dst
        j = int(t)
        f = t - j
        a = x[j] if j < len(x) else 0.0
        b = x[j + 1] if j + 1 < len(x) else a
        out.append(a + (b - a) * f)
    return out


def write(path, samples):
    data = array.array("h", (max(-32768, min(32767, int(round(s * 32767)))) for s in samples))
    if sys.byteorder == "big":
        data.byteswap()
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())


def rms(x):
    """RMS over the speech only (frames above -50 dBFS), so pauses do not lower it."""
    frame = RATE // 50
    energies = []
    for i in range(0, len(x) - frame + 1, frame):
        e = sum(s * s for s in x[i:i + frame]) / frame
        if e > 1e-5:
            energies.append(e)
    return math.sqrt(sum(energies) / len(energies)) if energies else 0.0


def brown(n, rng):
    out, v = [], 0.0
    for _ in range(n):
        v = 0.98 * v + rng.uniform(-1, 1) * 0.1
        out.append(v)
    return out


def babble(n, voices, rng):
    tracks = [read(p) for p in voices]
    out = [0.0] * n
    for t in tracks:
        if not t:
            continue
        pos = rng.randrange(len(t))
        for i in range(n):
            out[i] += t[(pos + i) % len(t)]
    return out


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("answer")
    a.add_argument("--out", required=True)
    a.add_argument("--pauses", default="1.0", help="seconds between sentences, cycled")
    a.add_argument("--lead", type=float, default=0.3, help="silence before the first sentence")
    a.add_argument("sentences", nargs="+")
    m = sub.add_parser("mix")
    m.add_argument("--out", required=True)
    m.add_argument("--noise", choices=["brown", "babble"], required=True)
    m.add_argument("--snr", type=float, required=True)
    m.add_argument("--babble", action="append", default=[], help="a voice for the babble (repeat)")
    m.add_argument("--seed", type=int, default=7)
    m.add_argument("clean")
    n = sub.add_parser("noise", help="background noise alone, at a level relative to a voice")
    n.add_argument("--out", required=True)
    n.add_argument("--seconds", type=float, required=True)
    n.add_argument("--noise", choices=["brown", "babble"], required=True)
    n.add_argument("--snr", type=float, required=True)
    n.add_argument("--like", required=True, help="a recording of the voice the SNR refers to")
    n.add_argument("--babble", action="append", default=[])
    n.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if args.cmd == "answer":
        pauses = [float(p) for p in args.pauses.split(",")]
        out = [0.0] * int(args.lead * RATE)
        for i, s in enumerate(args.sentences):
            if i:
                out += [0.0] * int(pauses[(i - 1) % len(pauses)] * RATE)
            out += read(s)
        out += [0.0] * int(0.3 * RATE)
        write(args.out, out)
    elif args.cmd == "noise":
        rng = random.Random(args.seed)
        count = int(args.seconds * RATE)
        noise = brown(count, rng) if args.noise == "brown" else babble(count, args.babble, rng)
        gain = rms(read(args.like)) / (10 ** (args.snr / 20)) / max(rms(noise), 1e-9)
        write(args.out, [gain * v for v in noise])
    else:
        rng = random.Random(args.seed)
        clean = read(args.clean)
        noise = brown(len(clean), rng) if args.noise == "brown" else babble(len(clean), args.babble, rng)
        gain = rms(clean) / (10 ** (args.snr / 20)) / max(rms(noise), 1e-9)
        write(args.out, [c + gain * v for c, v in zip(clean, noise)])


if __name__ == "__main__":
    main()
