"""What glossaries and checks cost, and which checks fire on the seeds.

Run: python bench/checks_cost.py [--repeat 5] [--terms 200]

1. The seed article through Apertium (the fastest real engine here, so the worst case for
   the ratio), cache off: the whole translation with a glossary of --terms rows, next to the
   time the glossary and check work alone takes on the same sentences (protect, restore,
   term lookup, the checks); the ratio is that work over the translation time.
2. Every seed article through Apertium: the checks that fire, by kind.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from common import REPO, SEED, median_s


def main() -> None:
    """Print the cost table and the table of checks by kind."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--terms", type=int, default=200)
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from service.config import Settings
    from service.text.segment import segment_text, sentence_key
    from service.translate.apertium import ApertiumTranslator
    from service.translate.checks import check_sentence
    from service.translate.document import DocumentTranslator
    from service.translate.glossary import (
        TermMatcher,
        glossary_from_rows,
        missing_terms,
        protect,
        restore,
    )

    text = SEED.read_text(encoding="utf-8")
    rows = [{"en": "task force", "es": "fuerza de tarea"}, {"en": "Arévalo", "es": "Arévalo"}]
    rows += [{"en": f"term number {i}", "es": f"término número {i}"} for i in range(args.terms)]
    glossary = glossary_from_rows(rows)
    engine = ApertiumTranslator()
    translator = DocumentTranslator(engine, Settings(cache_size=0))
    translator.translate([text], "en", "es")  # start the pipelines

    whole = median_s(
        lambda: translator.translate([text], "en", "es", glossary=glossary), args.repeat
    )
    sentences = [sentence_key(s.text) for s in segment_text(text, "en") if s.translate]
    outputs = translator.translate(sentences, "en", "es", glossary=glossary).texts
    pairs = glossary.pairs("en", "es")

    def trust_work() -> None:  # what DocumentTranslator adds: pairs once per call
        matcher = TermMatcher.of(glossary.pairs("en", "es"))
        for sentence, output in zip(sentences, outputs, strict=True):
            protected = protect(sentence, matcher)
            restore(output, protected)
            missing_terms(output, protected)
            check_sentence(sentence, output, "en", "es", None)  # degeneracy: asked already

    work = median_s(trust_work, args.repeat)
    print(f"Seed article: {len(sentences)} sentences, glossary of {len(pairs)} terms, Apertium\n")
    print("| what | median |")
    print("| --- | --- |")
    print(f"| translate the seed with the glossary and checks | {whole * 1000:.1f} ms |")
    print(f"| the glossary and check work alone | {work * 1000:.2f} ms |")
    print(f"| share of the translation time | {work / whole:.1%} |")

    fired: Counter[str] = Counter()
    sentences_total = 0
    for path in sorted((REPO / "seeds").glob("*.txt")):
        source = "en" if ".en." in path.name else "es"
        result = translator.translate(
            [path.read_text(encoding="utf-8")], source, "es" if source == "en" else "en"
        )
        sentences_total += result.sentences
        fired.update(check.kind for check in result.checks[0])
    print(f"\nChecks on all {sentences_total} seed sentences with Apertium\n")
    print("| kind | fired |")
    print("| --- | --- |")
    for kind in ("number", "term", "untranslated", "length", "repetition", "date"):
        print(f"| {kind} | {fired[kind]} |")


if __name__ == "__main__":
    main()
