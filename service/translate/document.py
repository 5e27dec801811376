"""Whole-text translation around any sentence engine.

Each text is cut into sentences and layout (``service.text.segment``); the distinct sentences
of all texts are looked up in an LRU cache; the rest go to the engine in one call (the engine
sorts and batches them), and each text is reassembled with its layout untouched.
A sentence longer than the engine's input limit is cut into pieces (``service.text.chunking``)
that are translated and joined, so nothing is truncated. Output that looks degenerate
(``service.translate.quality``) is retried once with repetition-suppressing decoding and, if
still bad, named in a warning.

Glossary terms and always-protected spans (URLs, handles, numbers with units) go to the
engine as placeholders (``service.translate.glossary``) and every translated sentence is
checked against its source (``service.translate.checks``); what fails is reported in
``TranslationResult.checks``, one list per text.

The work is written as steps that yield their engine calls (``service.translate.steps``):
``translate`` answers them in the caller's thread, ``translate_async`` awaits them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from service.config import Settings
from service.languages import Lang, refuse_same_language
from service.text.chunking import Chunk, split_long
from service.text.segment import Segment, is_sentence, reassemble, segment_text, sentence_key
from service.translate.alternatives import compose, varied_sentences
from service.translate.base import DecodeOptions, EngineInfo, Translator, n_best
from service.translate.cache import LRUCache
from service.translate.checks import Check, check_sentence
from service.translate.glossary import (
    Glossary,
    Protected,
    Slot,
    TermMatcher,
    load_glossary,
    missing_terms,
    protect,
    restore,
)
from service.translate.quality import degeneracy
from service.translate.steps import EngineCall, Steps, drive, drive_async

RETRY_REPETITION_PENALTY = 1.2
RETRY_NO_REPEAT_NGRAM_SIZE = 3
TOKEN_HEADROOM = 2  # room for the end-of-sentence token and tokenizer differences at joins

CacheKey = tuple[EngineInfo, Lang, Lang, DecodeOptions, str]


@dataclass(frozen=True)
class _Done:
    """A sentence's translation, and why it may be garbled (None when it looks fine)."""

    text: str
    problem: str | None = None


@dataclass(frozen=True)
class Sentences:
    """A text already cut into sentences (a summary): each is translated, joined by spaces."""

    items: tuple[str, ...]


@dataclass
class TranslationResult:
    """Translated texts (one per input) and how they were made."""

    texts: list[str]
    source: Lang
    target: Lang
    engine: EngineInfo
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0  # sentences in the input texts, repeats included
    cache_hits: int = 0  # of those, answered from the cache or a repeat in the same call
    engine_inputs: int = 0  # strings sent to the engine (pieces of long sentences count)
    chunked: int = 0  # sentences over the engine's input limit, translated in pieces
    retried: int = 0  # engine outputs retried because they looked degenerate
    # One list per text: what may be wrong with its translated sentences.
    checks: list[list[Check]] = field(default_factory=list)
    sentence_counts: list[int] = field(default_factory=list)  # translated sentences per text


class DocumentTranslator:
    """Translates whole texts with a sentence ``Translator``. Thread-safe."""

    def __init__(
        self,
        translator: Translator,
        settings: Settings,
        *,
        on_result: Callable[[TranslationResult], None] | None = None,
    ) -> None:
        self.translator = translator
        self.settings = settings
        self._on_result = on_result  # sees every result (the API's metrics count cache hits)
        self._cache: LRUCache[CacheKey, _Done] = LRUCache(settings.cache_size)
        # BRIEFS_GLOSSARY: read once here, so a malformed file fails at start-up.
        self.glossary = load_glossary(settings.glossary) if settings.glossary else Glossary()

    def translate(
        self,
        texts: Sequence[str | Sentences],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
        glossary: Glossary | None = None,
    ) -> TranslationResult:
        """Translate each text; the output has one string per input text.

        A ``str`` is cut into sentences and layout here; ``Sentences`` are used as they are.
        ``glossary`` rows go over the default glossary (BRIEFS_GLOSSARY); every term is
        kept or reported (a ``term`` check).
        """
        steps = self.translation_steps(texts, source, target, options, glossary)
        return drive(steps, self.translator)

    async def translate_async(
        self,
        texts: Sequence[str | Sentences],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
        glossary: Glossary | None = None,
    ) -> TranslationResult:
        """``translate`` on the event loop, awaiting the engine (``steps.drive_async``): for
        inputs that are cheap to split and check."""
        steps = self.translation_steps(texts, source, target, options, glossary)
        return await drive_async(steps, self.translator)

    def translation_steps(
        self,
        texts: Sequence[str | Sentences],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
        glossary: Glossary | None = None,
    ) -> Steps[TranslationResult]:
        """``translate`` as steps that yield their engine calls (``service.translate.steps``)."""
        refuse_same_language(source, target)
        info = self.translator.info(source, target)
        options = options or DecodeOptions()
        result = TranslationResult([], source, target, info)
        plans = [_plan(text, source) for text in texts]

        wanted = [sentence_key(s.text) for plan in plans for s in plan if s.translate]
        result.sentences = len(wanted)
        result.sentence_counts = [sum(s.translate for s in plan) for plan in plans]
        result.cache_hits = len(wanted) - len(set(wanted))  # repeats within this call
        protection = self._protect(wanted, source, target, glossary)
        final = yield from self._final(protection, result, options)
        result.checks = [
            _checks(plan, final, protection, source, target) if plan else [] for plan in plans
        ]

        for text, plan in zip(texts, plans, strict=True):
            result.texts.append(_rebuild(plan, final) if plan else _original(text))
        problems = {key: final[key].problem for key in wanted if final[key].problem}
        result.warnings = [
            f"the translation of “{_shorten(key)}” may be garbled: {problem}"
            for key, problem in problems.items()
        ]
        if self._on_result is not None:
            self._on_result(result)
        return result

    def alternatives(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
        glossary: Glossary | None = None,
    ) -> list[list[str]] | None:
        """Up to ``n`` other translations of each text, each the main translation with one
        sentence worded otherwise (``service.translate.alternatives`` says which), from one
        engine call; ``None`` when the engine cannot give alternatives. Glossary terms are
        kept in every one."""
        refuse_same_language(source, target)
        info = self.translator.info(source, target)
        options = options or DecodeOptions()
        plans = [_plan(text, source) for text in texts]
        keys = [[sentence_key(s.text) for s in plan if s.translate] for plan in plans]
        limit = self.translator.max_input_tokens(source, target)
        budget = None if limit is None else max(1, limit - TOKEN_HEADROOM)
        # Sentences that surely fit the model whole (one long enough to be cut is not varied).
        varied = [
            varied_sentences([k for k in ks if budget is None or _max_tokens(k) <= budget], n)
            for ks in keys
        ]
        every = list(dict.fromkeys(k for ks in varied for k in ks))
        protection = self._protect(every, source, target, glossary)
        others = self._wordings(every, protection, source, target, n + 1, options)
        if others is None:
            return None
        result = TranslationResult([], source, target, info)
        main = self._protect([k for ks in keys for k in ks], source, target, glossary)
        done = drive(self._final(main, result, options), self.translator)
        final = {key: translated.text for key, translated in done.items()}
        return [
            compose(plan, final, {k: others[k] for k in ks}, n) if ks else []
            for plan, ks in zip(plans, varied, strict=True)
        ]

    def _wordings(
        self,
        keys: list[str],
        protection: dict[str, Protected],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions,
    ) -> dict[str, list[str]] | None:
        """Each sentence's ``n`` best translations that look sound, placeholders put back;
        a sentence with a degenerate one is asked again with the retry's repetition-
        suppressing decoding, as ``translate`` does. None when the engine has no n best."""
        found = n_best(
            self.translator, [protection[k].text for k in keys], source, target, n, options
        )
        if found is None:
            return None
        wordings = dict(zip(keys, found, strict=True))
        again = [k for k in keys if any(degeneracy(k, h) for h in wordings[k])]
        if again:
            retry = replace(
                options,
                repetition_penalty=RETRY_REPETITION_PENALTY,
                no_repeat_ngram_size=RETRY_NO_REPEAT_NGRAM_SIZE,
            )
            texts = [protection[k].text for k in again]
            retried = n_best(self.translator, texts, source, target, n, retry)
            wordings.update(zip(again, retried or [[] for _ in again], strict=True))
        out: dict[str, list[str]] = {}
        for key, hypotheses in wordings.items():
            restored = (restore(h, protection[key]) for h in hypotheses)
            out[key] = [h for h in restored if h is not None and degeneracy(key, h) is None]
        return out

    def _protect(
        self, keys: list[str], source: Lang, target: Lang, glossary: Glossary | None
    ) -> dict[str, Protected]:
        """Each distinct sentence with its glossary terms and protected spans as placeholders."""
        terms = self.glossary.merged(glossary)
        matcher = TermMatcher.of(terms.pairs(source, target) if terms else [])
        return {key: protect(key, matcher) for key in dict.fromkeys(keys)}

    def _final(
        self, protection: dict[str, Protected], result: TranslationResult, options: DecodeOptions
    ) -> Steps[dict[str, _Done]]:
        """Each sentence's translation with its placeholders put back."""
        done = yield from self._lookup([p.text for p in protection.values()], result, options)
        final: dict[str, _Done] = {}
        lost: list[str] = []  # sentences whose placeholders the engine did not keep
        for key, protected in protection.items():
            translated = done[protected.text]
            restored = restore(translated.text, protected) if protected.slots else translated.text
            if restored is None:
                lost.append(key)
            else:
                final[key] = replace(translated, text=restored)
        if lost:  # translate those again as written, then check the terms are there
            hits = result.cache_hits  # a second look at the same sentences is not a hit
            final.update((yield from self._lookup(lost, result, options)))
            result.cache_hits = hits
        return final

    def _lookup(
        self, sentences: list[str], result: TranslationResult, options: DecodeOptions
    ) -> Steps[dict[str, _Done]]:
        """Each distinct sentence's translation, from the cache or the engine."""
        key = (result.engine, result.source, result.target, options)
        done: dict[str, _Done] = {}
        for sentence in dict.fromkeys(sentences):
            cached = self._cache.get((*key, sentence))
            if cached is not None:
                done[sentence] = cached
        missing = [sentence for sentence in dict.fromkeys(sentences) if sentence not in done]
        result.cache_hits += len(done)
        translated_now = yield from self._translate_sentences(missing, result, options)
        for sentence, translated in translated_now.items():
            self._cache.put((*key, sentence), translated)
            done[sentence] = translated
        return done

    def _translate_sentences(
        self, sentences: list[str], result: TranslationResult, options: DecodeOptions
    ) -> Steps[dict[str, _Done]]:
        """Translate distinct sentences, cutting those over the engine's input limit."""
        if not sentences:
            return {}
        plans = self._chunk(sentences, result.source, result.target)
        result.chunked += sum(len(plan) > 1 for plan in plans)
        pieces = list(dict.fromkeys(c.text for plan in plans for c in plan if c.translate))
        translated = yield from self._translate_pieces(pieces, result, options)
        done: dict[str, _Done] = {}
        for sentence, plan in zip(sentences, plans, strict=True):
            parts = [translated[c.text] if c.translate else _Done(c.text) for c in plan]
            problem = next((p.problem for p in parts if p.problem), None)
            done[sentence] = _Done(" ".join(p.text for p in parts if p.text), problem)
        return done

    def _chunk(self, sentences: list[str], source: Lang, target: Lang) -> list[list[Chunk]]:
        limit = self.translator.max_input_tokens(source, target)
        if limit is None:
            return [[Chunk(sentence)] for sentence in sentences]
        budget = max(1, limit - TOKEN_HEADROOM)

        def count(texts: list[str]) -> list[int]:
            return self.translator.count_tokens(texts, source, target)

        # Counting costs a SentencePiece pass; most sentences provably fit without one.
        unsure = [s for s in sentences if _max_tokens(s) > budget]
        sizes = dict(zip(unsure, count(unsure), strict=True)) if unsure else {}
        return [
            [Chunk(sentence)]
            if sizes.get(sentence, 0) <= budget
            else split_long(sentence, budget, count)
            for sentence in sentences
        ]

    def _translate_pieces(
        self, pieces: list[str], result: TranslationResult, options: DecodeOptions
    ) -> Steps[dict[str, _Done]]:
        """Engine calls in length-ordered batches, then one retry of degenerate outputs."""
        outputs = yield from self._run_batches(pieces, result, options)
        result.engine_inputs += len(pieces)
        problems = {piece: degeneracy(piece, outputs[piece]) for piece in pieces}
        bad = [piece for piece, problem in problems.items() if problem is not None]
        if bad:
            result.retried += len(bad)
            retry = replace(
                options,
                repetition_penalty=RETRY_REPETITION_PENALTY,
                no_repeat_ngram_size=RETRY_NO_REPEAT_NGRAM_SIZE,
            )
            retried = yield from self._run_batches(bad, result, retry)
            for piece, again in retried.items():
                # keep the retry unless it is still bad and longer (a longer loop)
                still = degeneracy(piece, again)
                if still is None or len(again) <= len(outputs[piece]):
                    outputs[piece], problems[piece] = again, still
        return {piece: _Done(outputs[piece], problems[piece]) for piece in pieces}

    def _run_batches(
        self, pieces: list[str], result: TranslationResult, options: DecodeOptions
    ) -> Steps[dict[str, str]]:
        # One engine call: the engine sorts it by length and cuts it into its batches
        # (BRIEFS_ENGINE_BATCH_SIZE); CTranslate2 runs several at once (inter_threads).
        translated = yield EngineCall(pieces, result.source, result.target, options)
        if len(translated) != len(pieces):
            raise RuntimeError(
                f"{self.translator.name} returned {len(translated)} translations "
                f"for {len(pieces)} sentences"
            )
        return dict(zip(pieces, translated, strict=True))


def _plan(text: str | Sentences, language: Lang) -> list[Segment]:
    """A text's sentences and kept layout; pre-split sentences are joined by single spaces."""
    if isinstance(text, str):
        return segment_text(text, language) if text.strip() else []
    plan: list[Segment] = []
    for sentence in (item.strip() for item in text.items):
        if sentence:
            if plan:
                plan.append(Segment(" ", translate=False))
            plan.append(Segment(sentence, translate=is_sentence(sentence)))
    return plan


def _original(text: str | Sentences) -> str:
    return text if isinstance(text, str) else " ".join(text.items)


def _max_tokens(sentence: str) -> int:
    """An upper bound on a sentence's SentencePiece tokens, ``</s>`` included.

    Every piece covers at least one character of the normalized text (NFKC, with a word
    marker standing for each space and one in front), so pieces <= characters + 1.
    """
    normalized = sentence if sentence.isascii() else unicodedata.normalize("NFKC", sentence)
    return len(normalized) + 2


def _rebuild(plan: list[Segment], done: dict[str, _Done]) -> str:
    return reassemble(plan, (done[sentence_key(s.text)].text for s in plan if s.translate))


def _checks(
    plan: list[Segment],
    final: dict[str, _Done],
    protection: dict[str, Protected],
    source: Lang,
    target: Lang,
) -> list[Check]:
    """The checks of one text's translated sentences, each with its index in the text."""
    found: list[Check] = []
    for index, segment in enumerate(s for s in plan if s.translate):
        key = sentence_key(segment.text)
        translation = final[key].text
        here = [
            Check("term", f"the {_what(slot)} “{slot.source}” is not translated as “{slot.target}”")
            for slot in missing_terms(translation, protection[key])
        ]
        here += check_sentence(key, translation, source, target, final[key].problem)
        found += [Check(c.kind, c.message, index, key, translation) for c in here]
    return found


def _what(slot: Slot) -> str:
    return "glossary term" if slot.glossary else "protected text"


def _shorten(sentence: str, width: int = 80) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "…"
