"""Checks that a folder is a seq2seq model (T5, mT5, mT0, BART) that can write summaries.

A summarizer's store name is the name given to ``import`` or the hub repo id with ``/``
written as ``--`` (``bigscience/mt0-small`` -> ``bigscience--mt0-small``).
"""

from __future__ import annotations

import re
from pathlib import Path

from service.errors import InvalidInput, ModelInvalid
from service.models.layout import WEIGHT_FILES, has_weights, read_json

SUGGESTED = "bigscience/mt0-small"
SEQ2SEQ_TYPES = frozenset({"t5", "mt5", "umt5", "bart", "mbart", "pegasus"})
TOKENIZER_FILES = ("tokenizer.json", "spiece.model", "sentencepiece.bpe.model", "vocab.json")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def store_name(name: str) -> str:
    """The folder name for a model name or hub repo id; raises InvalidInput on a bad one."""
    local = name.strip().replace("/", "--")
    if not _NAME.match(local) or ".." in local or name.count("/") > 1:
        raise InvalidInput(
            f"bad summarizer name {name!r}: use letters, digits, '.', '_', '-' "
            "(or a hub repo id like owner/model)"
        )
    return local


def check_summarizer_folder(path: Path) -> str:
    """The model type of a seq2seq model folder; raises ModelInvalid saying what is wrong."""
    if not path.is_dir():
        raise ModelInvalid(f"{path} is not a folder")
    if not (path / "config.json").is_file():
        raise ModelInvalid(f"{path} has no config.json: not a Hugging Face model folder")
    config = read_json(path / "config.json")
    model_type = str(config.get("model_type", ""))
    if model_type not in SEQ2SEQ_TYPES:
        raise ModelInvalid(
            f"{path} holds a {model_type or 'unknown'} model; summaries need a seq2seq model "
            f"of type {', '.join(sorted(SEQ2SEQ_TYPES))}"
        )
    if not has_weights(path, shards=True):
        raise ModelInvalid(f"{path} has no weights ({' or '.join(WEIGHT_FILES)})")
    if not any((path / name).is_file() for name in TOKENIZER_FILES):
        raise ModelInvalid(f"{path} has no tokenizer ({' or '.join(TOKENIZER_FILES)})")
    return model_type
