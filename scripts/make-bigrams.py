#!/usr/bin/env python3
"""Rebuilds assets/bigrams/en-bigrams-100k.txt from the English bigram list that PyPI's
symspellpy 6.10.1 ships (frequency_bigramdictionary_en_243_342.txt): the 100,000 most
frequent word pairs, without their counts. See assets/bigrams/README.md.

    pip download symspellpy==6.10.1 --no-deps -d /tmp/symspell
    python3 scripts/make-bigrams.py /tmp/symspell/symspellpy-6.10.1-py3-none-any.whl
"""

import hashlib
import os
import sys
import zipfile

WHEEL_SHA256 = "a653a6c125839a21ada87c3e044d690fc3b39872efbd7b7270db3de9471315e1"
LIST_SHA256 = "fd892a160184101dd7ae807ac5a302d01fcea1c47304181a8ed7ed9c94545bcd"
MEMBER = "symspellpy/frequency_bigramdictionary_en_243_342.txt"
KEEP = 100_000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "assets", "bigrams", "en-bigrams-100k.txt")

HEADER = """\
# The 100,000 most frequent English word pairs (bigrams), one `first second` per line,
# most frequent first. Derived from frequency_bigramdictionary_en_243_342.txt in PyPI's
# symspellpy 6.10.1 (MIT), whose data comes from Google Books Ngram data (Google Books
# Ngram Viewer, http://books.google.com/ngrams, CC BY 3.0). Rebuilt by
# scripts/make-bigrams.py; see assets/bigrams/README.md.
"""


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    wheel = open(sys.argv[1], "rb").read()
    if sha256(wheel) != WHEEL_SHA256:
        sys.exit(f"unexpected wheel checksum {sha256(wheel)}")
    data = zipfile.ZipFile(sys.argv[1]).read(MEMBER)
    if sha256(data) != LIST_SHA256:
        sys.exit(f"unexpected list checksum {sha256(data)}")
    rows = []
    for line in data.decode("utf-8").splitlines():
        first, second, count = line.split()
        rows.append((-int(count), first.lower(), second.lower()))
    # Most frequent first; ties in alphabetical order, so the output is reproducible.
    rows.sort()
    seen = set()
    out = []
    for _, first, second in rows:
        if (first, second) in seen:
            continue
        seen.add((first, second))
        out.append(f"{first} {second}")
        if len(out) == KEEP:
            break
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER)
        f.write("\n".join(out) + "\n")
    print(f"wrote {len(out)} bigrams to {OUT}")


if __name__ == "__main__":
    main()
