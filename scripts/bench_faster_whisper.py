#!/usr/bin/env python3
"""The transcription benchmark's other side: the same answers through faster-whisper.

Run by scripts/bench.sh in its own virtualenv (faster-whisper pinned there), after the
Rust bench (crates/transcribe/benches/transcribe.rs) wrote answer_<N>s.wav, answer_<N>s.txt
and prompt.txt to the audio directory. For each compute type, it loads the CTranslate2
model (the one our ggml file is converted from), transcribes every answer like our final
pass does (beam 5, language en, no timestamps, the same initial prompt, no VAD), and
prints processing time, real-time factor and WER (the normalisation of
crates/transcribe/src/wer.rs). Figures go to faster_whisper_<label>_<compute type>.tsv
there, with the process's peak memory so far (ru_maxrss) in the last column: run one
compute type per process for a clean figure, as scripts/bench.sh does.

    python bench_faster_whisper.py --model CT2_DIR --audio DIR --label tiny.en \
        [--compute-type int8 float32] [--beam-size 1]
"""

import argparse
import os
import re
import resource
import statistics
import sys
import time
import wave

import numpy as np

# The model is a local directory: never ask a hub for anything.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ctranslate2  # noqa: E402
import faster_whisper  # noqa: E402
from faster_whisper import WhisperModel  # noqa: E402

LENGTHS = (5, 30, 60)

# --- word error rate, as crates/transcribe/src/wer.rs computes it ----------------------

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = ["", ""] + "twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
            "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def spell(n):
    out = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        out += spell(thousands) + ["thousand"]
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        out += [ONES[hundreds], "hundred"]
    if rest >= 20:
        out.append(TENS[rest // 10])
        if rest % 10:
            out.append(ONES[rest % 10])
    elif rest or not out:
        out.append(ONES[rest])
    return out


def ordinal(word):
    if word in ORDINALS:
        return ORDINALS[word]
    return word[:-1] + "ieth" if word.endswith("y") else word + "th"


def expand(token):
    m = re.match(r"[0-9]*", token)
    digits, suffix = m.group(0), token[m.end():]
    if digits and int(digits) < 10_000:
        if not suffix:
            return spell(int(digits))
        if suffix in ("st", "nd", "rd", "th"):
            words = spell(int(digits))
            return words[:-1] + [ordinal(words[-1])]
    return [token]


def normalise(text):
    words = re.split(r"[^\w']|_", text.lower().replace("%", " percent "))
    out = []
    for w in words:
        w = w.strip("'")
        if w:
            out += expand(w)
    return out


def wer(reference, hypothesis):
    r, h = normalise(reference), normalise(hypothesis)
    if not r:
        return 0.0 if not h else 1.0
    prev = list(range(len(h) + 1))
    for i, rw in enumerate(r):
        row = [i + 1] * (len(h) + 1)
        for j, hw in enumerate(h):
            row[j + 1] = min(prev[j] + (rw != hw), prev[j + 1] + 1, row[j] + 1)
        prev = row
    return prev[len(h)] / len(r)


# --- the benchmark ---------------------------------------------------------------------

class CpuWatch:
    """The share of the machine's CPU time other processes used while a stage ran."""

    TICK = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def machine():
        with open("/proc/stat") as f:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, f.readline().split()[1:9])
        busy = user + nice + system + irq + softirq + steal
        return busy, busy + idle + iowait

    def __init__(self):
        self.busy, self.total = self.machine()
        t = os.times()
        self.own = t.user + t.system

    def others(self):
        busy, total = self.machine()
        t = os.times()
        own = (t.user + t.system - self.own) * self.TICK
        others = max(0.0, busy - self.busy - own)
        return f"{100 * others / max(1, total - self.total):.0f} %"


def load_wav(path):
    """16 kHz mono 16-bit PCM as float32 in [-1, 1), scaled as faster-whisper's decoder does."""
    with wave.open(path, "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, 16000):
            sys.exit(f"{path}: expected 16 kHz mono 16-bit PCM")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0


def transcribe(model, audio, prompt, beam_size):
    segments, _info = model.transcribe(
        audio,
        language="en",
        task="transcribe",
        beam_size=beam_size,
        best_of=beam_size,
        without_timestamps=True,
        initial_prompt=prompt,
        vad_filter=False,
        word_timestamps=False,
    )
    # The transcription runs as the generator is consumed.
    return " ".join(s.text.strip() for s in segments).strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="CTranslate2 Whisper model directory")
    ap.add_argument("--audio", required=True, help="directory the Rust bench wrote")
    ap.add_argument("--label", default="model", help="names the figures' files")
    ap.add_argument("--compute-type", nargs="+", default=["int8", "float32"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--beam-size", type=int, default=5)
    ap.add_argument("--repeats", type=int,
                    default=int(os.environ.get("PANELIST_BENCH_REPEATS", "3")))
    args = ap.parse_args()

    prompt = open(os.path.join(args.audio, "prompt.txt"), encoding="utf-8").read()
    answers = []
    for seconds in LENGTHS:
        base = os.path.join(args.audio, f"answer_{seconds}s")
        text = open(base + ".txt", encoding="utf-8").read()
        answers.append((seconds, load_wav(base + ".wav"), text))

    print(f"faster-whisper {faster_whisper.__version__}, ctranslate2 {ctranslate2.__version__}, "
          f"python {sys.version.split()[0]}")
    print(f"  model        {args.model}")
    print(f"  settings     cpu_threads {args.threads}, beam size {args.beam_size}, language en, "
          "no timestamps, same initial prompt, VAD off")
    print(f"  CPU compute types supported: {sorted(ctranslate2.get_supported_compute_types('cpu'))}")
    print(f"  load         {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
    for compute_type in args.compute_type:
        t = time.perf_counter()
        model = WhisperModel(args.model, device="cpu", compute_type=compute_type,
                             cpu_threads=args.threads, num_workers=1)
        load_s = time.perf_counter() - t
        # One untimed pass, as the Rust bench does.
        transcribe(model, answers[0][1], prompt, args.beam_size)
        print(f"\ncompute type {compute_type} (model load {load_s:.2f} s), "
              f"median of {args.repeats} runs")
        print("   length   median s   min s    max s    RTF      WER")
        rows = []
        cpu = CpuWatch()
        heard = []
        for seconds, audio, text in answers:
            times, wers, first = [], [], None
            for _ in range(args.repeats):
                t = time.perf_counter()
                out = transcribe(model, audio, prompt, args.beam_size)
                times.append(time.perf_counter() - t)
                wers.append(wer(text, out))
                first = out if first is None else first
            med = statistics.median(times)
            w = statistics.median(wers)
            print(f"   {seconds:>3} s   {med:>8.3f}  {min(times):>7.3f}  {max(times):>7.3f}  "
                  f"{med / seconds:>7.4f}  {w * 100:>5.1f} %")
            rows.append(f"{seconds}\t{med:.4f}\t{min(times):.4f}\t{max(times):.4f}\t"
                        f"{med / seconds:.5f}\t{w:.4f}")
            heard.append(f"== {seconds} s\nspoken: {text}\nheard:  {first}\n")
        others = cpu.others()
        print(f"   other processes used {others} of the machine's CPU meanwhile")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        name = f"faster_whisper_{args.label}_{compute_type}"
        with open(os.path.join(args.audio, name + ".tsv"), "w") as f:
            f.write("length_s\tmedian_s\tmin_s\tmax_s\trtf\twer\tpeak_mib\tothers\n")
            f.write("".join(f"{r}\t{peak:.1f}\t{others}\n" for r in rows))
        with open(os.path.join(args.audio, name + "_transcripts.txt"), "w") as f:
            f.write("\n".join(heard))
        del model
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (ru_maxrss) {peak_mib:.1f} MiB")


if __name__ == "__main__":
    main()
