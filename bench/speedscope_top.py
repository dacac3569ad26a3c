"""Summarise a py-spy speedscope profile: the functions with the most inclusive and self time.

py-spy record --pid <gunicorn master> --subprocesses --format speedscope -o app.json
python bench/speedscope_top.py app.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter


def main(path: str, top: int = 30) -> None:
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    frames = data["shared"]["frames"]
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    samples = 0
    for profile in data["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            names = [f"{frames[i]['name']} ({frames[i].get('file', '').split('site-packages/')[-1]})" for i in stack]
            samples += weight
            for name in set(names):
                inclusive[name] += weight
            if names:
                own[names[-1]] += weight
    print(f"{samples} samples")
    print("inclusive:")
    for name, count in inclusive.most_common(top):
        print(f"  {100 * count / samples:5.1f}%  {name}")
    print("self:")
    for name, count in own.most_common(15):
        print(f"  {100 * count / samples:5.1f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
