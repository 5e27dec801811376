"""Sentence splitting cost per sentence, with and without the one-sentence shortcut.

``segment_text`` (paragraphs, then pysbd and our abbreviation rules) on three inputs: the
seed articles as they are (multi-sentence paragraphs: pysbd runs either way), each seed
sentence as a text of its own (what a one-sentence request or ``DocumentTranslator`` over
pre-cut sentences sees), and the translation benchmark's sentences (``Item N: ...``, as
``bench/translate_speed.py`` sends them). Each is timed with the shortcut and with pysbd
forced (the shortcut's pattern replaced by one that never matches); both give the same
segments (checked). Median of ``--repeat``.

Run: ``python bench/segment_cost.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from common import REPO, median_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from service.text import sentences
    from service.text.segment import segment_text

    seeds = [
        (p.read_text("utf-8"), "es" if ".es." in p.name else "en")
        for p in sorted((REPO / "seeds").glob("*.txt"))
    ]
    one_each = [
        (s.strip(), language)
        for text, language in seeds
        for s in sentences._split_with_pysbd(text.replace("\n", " "), language)
        if s.strip()
    ]
    words = re.findall(r"[\w'-]+", seeds[0][0])
    numbered = [
        (f"Item {i}: " + " ".join(words[(i * 7) % len(words) :][:22]) + ".", "en")
        for i in range(256)
    ]
    inputs = {
        "seed articles (multi-sentence paragraphs)": seeds,
        "each seed sentence as its own text": one_each,
        "translate_speed's sentences (`Item N: ...`)": numbered,
    }
    shortcut = sentences._ONE_SENTENCE
    never = re.compile(r"(?!)")
    load = os.getloadavg()[0]
    print(f"load average {load:.1f}; median of {args.repeat}\n")
    print(
        "| input | texts | sentences | µs per sentence, pysbd | with the shortcut "
        "| texts that skip pysbd |"
    )
    print("|---|---|---|---|---|---|")
    for name, texts in inputs.items():

        def run(texts: list[tuple[str, str]] = texts) -> list[object]:
            return [segment_text(text, language) for text, language in texts]  # type: ignore[arg-type]

        sentences._ONE_SENTENCE = never
        slow = median_s(run, args.repeat)
        expected = run()
        sentences._ONE_SENTENCE = shortcut
        fast = median_s(run, args.repeat)
        assert run() == expected, "the shortcut changed a segmentation"
        count = sum(seg.translate for segs in expected for seg in segs)  # type: ignore[attr-defined]
        skipped = sum(bool(shortcut.fullmatch(text)) for text, _ in texts)
        print(
            f"| {name} | {len(texts)} | {count} | {1e6 * slow / count:.0f} "
            f"| {1e6 * fast / count:.0f} | {skipped} |"
        )


if __name__ == "__main__":
    main()
