"""The headline line of a plain-text article: its first non-empty line, when it reads as one.

One rule for every way an article arrives without a separate title: a ``.txt`` file given to
the CLI, and the text of ``POST /v1/briefs`` (the page's pasted article) sent without a
``title``. A line reads as a headline when it is short and does not end like a sentence or a
clause (``.``, ``,``, ``;``, ``:``); a closing abbreviation such as ``EE.UU.`` or ``U.S.`` does
not count as a full stop. A Markdown level-1 marker (``# ``) in front of it is dropped.
"""

from __future__ import annotations

import re

HEADLINE_MAX_CHARS = 200
_H1_MARKER = re.compile(r"^\ufeff?#[ \t]+")
_CLAUSE_END = (".", ",", ";", ":")
# "EE.UU.", "U.S.", "S.A.": letters with dots, at the end of the line.
_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[^\W\d_]{1,3}\.){2,}$")


def reads_as_headline(line: str) -> bool:
    """Whether one line reads as a news headline rather than the article's first sentence."""
    line = _H1_MARKER.sub("", line.strip().lstrip("\ufeff")).strip()
    if not line or len(line) > HEADLINE_MAX_CHARS:
        return False
    if line.endswith("..."):
        return False
    if line.endswith(_CLAUSE_END):
        return line.endswith(".") and _ABBREVIATION_END.search(line) is not None
    return True


def split_headline(text: str) -> tuple[str | None, str]:
    """``(headline, rest)`` when the first non-empty line reads as a headline, else (None, text).

    ``rest`` is the text after the headline line, stripped; it may be empty (a lone headline):
    the caller decides whether that is an error (the CLI) or the whole text (the API).
    """
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        if not reads_as_headline(line):
            return None, text
        headline = _H1_MARKER.sub("", line.strip().lstrip("\ufeff")).strip()
        return headline, "\n".join(lines[number + 1 :]).strip()
    return None, text
