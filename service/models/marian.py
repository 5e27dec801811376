"""Checks that a folder is a Hugging Face MarianMT model for an English<->Spanish pair.

The evidence for the pair comes from the files the hub ships: ``tokenizer_config.json``
(``source_lang``/``target_lang``), the model name in ``config.json`` (``_name_or_path``),
the folder's own name, and the words the two SentencePiece models know best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.errors import ModelInvalid
from service.models.layout import WEIGHT_FILES, read_json

PAIRS = ("en-es", "es-en")
REQUIRED_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
OPTIONAL_FILES = ("generation_config.json", "tokenizer_config.json")
HF_FILES = REQUIRED_FILES + OPTIONAL_FILES + WEIGHT_FILES

_LANG_CODES = {"en": "en", "eng": "en", "english": "en", "es": "es", "spa": "es", "spanish": "es"}
_NAME_PAIR = re.compile(r"opus-mt-([a-z]{2,3})-([a-z]{2,3})(?![a-z])", re.IGNORECASE)
# Plain text in each language: a SentencePiece model cuts the language it was trained on
# into far fewer pieces than the other one.
_SAMPLES = {
    "en": "The government said on Tuesday that the new plan would help the people who live "
    "in the border region, and that it was working with its neighbours to stop the trade.",
    "es": "El gobierno dijo el martes que el nuevo plan ayudará a las personas que viven en "
    "la región de la frontera, y que trabaja con sus vecinos para detener el tráfico.",
}


@dataclass(frozen=True)
class MarianFolder:
    """A checked model folder: its pair, weight file and where the pair came from."""

    path: Path
    pair: str
    weights: str
    evidence: str


def check_marian_folder(path: Path, pair: str | None = None) -> MarianFolder:
    """Validate a Marian folder and settle its pair; raises ``ModelInvalid`` saying why."""
    if not path.is_dir():
        raise ModelInvalid(f"{path} is not a folder")
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise ModelInvalid(f"{path} is missing {', '.join(missing)}", hint=_LAYOUT_HINT)
    weights = next((name for name in WEIGHT_FILES if (path / name).is_file()), None)
    if weights is None:
        raise ModelInvalid(
            f"{path} has no weights (pytorch_model.bin or model.safetensors)", hint=_LAYOUT_HINT
        )
    config = read_json(path / "config.json")
    if config.get("model_type") != "marian":
        found = config.get("model_type") or "no model_type"
        raise ModelInvalid(f"{path} is not a MarianMT model (config.json has {found})")
    _check_vocab(path / "vocab.json", config)

    evidence = _pair_evidence(path, config)
    for found_pair, where in evidence:
        if found_pair not in PAIRS:
            raise ModelInvalid(
                f"{path} translates {found_pair} ({where}); Briefs needs en-es or es-en"
            )
    if pair is not None:
        for found_pair, where in evidence:
            if found_pair != pair:
                raise ModelInvalid(f"{path} is a model for {found_pair} ({where}), not {pair}")
        return MarianFolder(path, pair, weights, evidence[0][1] if evidence else "--pair")
    pairs = {found_pair for found_pair, _ in evidence}
    if len(pairs) > 1:
        detail = "; ".join(f"{p} from {where}" for p, where in evidence)
        raise ModelInvalid(f"{path} gives contradicting language pairs: {detail}")
    if not pairs:
        raise ModelInvalid(
            f"cannot tell which language pair {path} translates", hint="pass --pair en-es or es-en"
        )
    return MarianFolder(path, evidence[0][0], weights, evidence[0][1])


def read_marian_config(path: Path) -> dict[str, Any]:
    """The folder's config.json as a dict."""
    return read_json(path / "config.json")


def read_generation_config(path: Path) -> dict[str, Any]:
    """The folder's generation_config.json, or an empty dict when it has none."""
    file = path / "generation_config.json"
    return read_json(file) if file.is_file() else {}


_LAYOUT_HINT = (
    "a Marian folder as the hub ships it has config.json, source.spm, target.spm, vocab.json "
    "and pytorch_model.bin or model.safetensors"
)


def _check_vocab(file: Path, config: dict[str, Any]) -> None:
    """CTranslate2 builds its vocabulary from ids 0..N-1: no gaps, ``<pad>`` last."""
    vocab = read_json(file)
    ids = sorted(v for v in vocab.values() if isinstance(v, int))
    if len(ids) != len(vocab) or ids != list(range(len(ids))):
        raise ModelInvalid(f"{file}: token ids must be the integers 0..{len(vocab) - 1}, no gaps")
    if vocab.get("<pad>") != len(vocab) - 1:
        raise ModelInvalid(f"{file}: <pad> must be the last token")
    size = config.get("vocab_size")
    if size is not None and size != len(vocab):
        raise ModelInvalid(f"config.json says vocab_size {size} but vocab.json has {len(vocab)}")


def _pair_evidence(path: Path, config: dict[str, Any]) -> list[tuple[str, str]]:
    """(pair, where it was found) for every hint the folder carries."""
    found: list[tuple[str, str]] = []
    tokenizer_file = path / "tokenizer_config.json"
    if tokenizer_file.is_file():
        tokenizer = read_json(tokenizer_file)
        source, target = tokenizer.get("source_lang"), tokenizer.get("target_lang")
        if isinstance(source, str) and isinstance(target, str):
            found.append((_pair(source, target), "tokenizer_config.json source_lang/target_lang"))
    names = ((config.get("_name_or_path"), "config.json _name_or_path"), (path.name, "folder name"))
    for text, where in names:
        match = _NAME_PAIR.search(text) if isinstance(text, str) else None
        if match:
            found.append((_pair(match[1], match[2]), f"{where} {text!r}"))
    source, target = _spm_language(path / "source.spm"), _spm_language(path / "target.spm")
    if source and target and source != target:
        found.append((f"{source}-{target}", "the languages source.spm and target.spm cut best"))
    return found


def _pair(source: str, target: str) -> str:
    def norm(code: str) -> str:
        return _LANG_CODES.get(code.lower(), code.lower())

    return f"{norm(source)}-{norm(target)}"


def _spm_language(file: Path) -> str | None:
    """en or es when the model clearly cuts one language into fewer pieces, else None."""
    import sentencepiece as spm

    try:
        model = spm.SentencePieceProcessor(model_file=str(file))
    except (OSError, RuntimeError):
        raise ModelInvalid(f"{file} is not a SentencePiece model") from None
    pieces = {lang: len(model.encode(text)) / len(text) for lang, text in _SAMPLES.items()}
    best, other = sorted(pieces, key=pieces.__getitem__)
    # A clear margin only: a shared or multilingual model gives no evidence.
    return best if pieces[other] > 1.25 * pieces[best] else None
