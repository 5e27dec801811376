"""Seed article through Apertium: the `briefs translate` command, batching, text handling.

Run: python bench/text_apertium.py  (median of --repeat runs; prints a Markdown table)
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys

from common import REPO, SEED, median_s


def main() -> None:
    """Time each way of translating the seed and print one table row per way."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from service.config import Settings
    from service.text.segment import segment_text
    from service.translate.apertium import ApertiumTranslator
    from service.translate.document import DocumentTranslator

    text = SEED.read_text(encoding="utf-8")
    segments = segment_text(text, "en")
    sentences = [s.text for s in segments if s.translate]
    words = len(text.split())
    engine = ApertiumTranslator()
    command = [sys.executable, "-m", "service", "translate", str(SEED), "--to", "es"]
    command += ["--from", "en", "--engine", "apertium"]

    def cli() -> None:
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)

    def document() -> None:
        DocumentTranslator(engine, Settings(cache_size=0)).translate([text], "en", "es")

    def per_sentence() -> None:
        for sentence in sentences:
            engine.translate([sentence], "en", "es")

    rows = [
        ("`briefs translate` (new process, imports included)", median_s(cli, args.repeat)),
        ("DocumentTranslator, one Apertium call", median_s(document, args.repeat)),
        ("one Apertium call per sentence (naive)", median_s(per_sentence, 1)),
        ("split into segments only", median_s(lambda: segment_text(text, "en"), args.repeat)),
    ]
    print(f"Seed: {words} words, {len(sentences)} sentences; {platform.processor() or 'cpu'}")
    print("| way | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
