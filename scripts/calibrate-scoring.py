#!/usr/bin/env python3
"""Scores the short-answer grading data with `panelist score` and prints Pearson's r
against the human grades (`score_avg`), overall and per assignment.

    scripts/calibrate-scoring.py [--csv PATH] [--panelist BIN] [--min R]

Exits 1 when r is below --min, so CI can hold the scorer to its target. The data set is
research data kept outside the repository (../shared/data); it is never shipped.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=os.path.join(ROOT, "..", "shared", "data", "short-answer-grading-dev.csv"))
    ap.add_argument("--panelist", default=os.environ.get("PANELIST_BIN", "panelist"))
    ap.add_argument("--min", type=float, default=None, help="fail when r is below this")
    args = ap.parse_args()

    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as tmp:
        for i, row in enumerate(rows):
            tmp.write(json.dumps({
                "id": i,
                "question": row["question"],
                "reference_answer": row["desired_answer"],
                "answer": row["student_answer"],
            }) + "\n")
        path = tmp.name
    try:
        out = subprocess.run([args.panelist, "score", "--input", path], check=True,
                             capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    scores = {}
    for line in out.splitlines():
        item = json.loads(line)
        scores[item["id"]] = item["score"]
    if len(scores) != len(rows):
        sys.exit(f"panelist scored {len(scores)} of {len(rows)} rows")

    ours = [scores[i] for i in range(len(rows))]
    human = [float(r["score_avg"]) for r in rows]
    r = pearson(ours, human)
    by_assignment = {}
    for row, s, h in zip(rows, ours, human):
        by_assignment.setdefault(row["id"].split(".")[0], []).append((s, h))
    print(f"rows: {len(rows)}")
    for a in sorted(by_assignment, key=int):
        pairs = by_assignment[a]
        print(f"assignment {a}: n={len(pairs)} r={pearson([p[0] for p in pairs], [p[1] for p in pairs]):.3f}")
    print(f"pearson_r: {r:.3f}")
    if args.min is not None and r < args.min:
        sys.exit(f"pearson r {r:.3f} is below the required {args.min}")


if __name__ == "__main__":
    main()
