"""What an installed model is and how it lies on disk: folders, weight files, ``model.json``.

Layout under ``models_dir``::

    translation/<pair>/hf/          the hub's files (config.json, *.spm, vocab.json, weights)
    translation/<pair>/ct2-int8/    the CTranslate2 conversion
    translation/<pair>/model.json   kind, origin, install date
    summarizer/<name>/              a seq2seq model's Hugging Face files, and its model.json
    .staging-*/                     unfinished installs, never loaded

Summarizers installed before the store was one wrote ``briefs.json`` instead of
``model.json``; it is still read, never written.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any, Literal

from service.errors import ModelInvalid
from service.models.atomic import folder_size
from service.models.convert import CT2_FORMAT

log = logging.getLogger(__name__)

ModelKind = Literal["translation", "summarizer"]
OriginType = Literal["hub", "import"]

TRANSLATION: ModelKind = "translation"
SUMMARIZER: ModelKind = "summarizer"
KINDS: tuple[ModelKind, ...] = (TRANSLATION, SUMMARIZER)
HF_FORMAT = "hf"
METADATA = "model.json"
LEGACY_METADATA = "briefs.json"
# One file with all the weights; big seq2seq models may instead ship an index of shards.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
SHARD_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")


@dataclass(frozen=True)
class InstalledModel:
    """One installed model (a translation pair or a summarizer) and what it has on disk."""

    kind: ModelKind
    name: str  # the pair (``en-es``) of a translation model, the store name of a summarizer
    path: Path
    hf_dir: Path  # the Hugging Face files (tokenizer, config, weights)
    model_type: str  # config.json ``model_type``: marian, t5, mt5, bart...
    origin: str  # hub repo id, or the folder it was imported from (a host path)
    origin_type: OriginType
    installed_at: str
    public_name: str  # hub repo id or the model's own name: safe to show over HTTP
    ct2_dir: Path | None = None

    @property
    def formats(self) -> list[str]:
        """Formats present: ``hf`` and/or ``ct2-int8``."""
        return [HF_FORMAT, CT2_FORMAT] if self.ct2_dir else [HF_FORMAT]

    def size_bytes(self) -> int:
        """Bytes on disk, all formats together."""
        return folder_size(self.path)

    def label(self, *details: str) -> str:
        """``name (details)`` for clients: never the host path an import came from."""
        notes = ("imported", *details) if self.origin_type == "import" else details
        return f"{self.public_name} ({', '.join(notes)})" if notes else self.public_name


def has_weights(folder: Path, *, shards: bool = False) -> bool:
    """Whether ``folder`` holds a weight file (or, with ``shards``, an index of shards)."""
    names = WEIGHT_FILES + SHARD_INDEXES if shards else WEIGHT_FILES
    return any((folder / name).is_file() for name in names)


def read_metadata(folder: Path) -> dict[str, Any] | None:
    """The folder's ``model.json`` (or older ``briefs.json``); None when it has none usable."""
    for name in (METADATA, LEGACY_METADATA):
        try:
            data = json.loads((folder / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            log.warning("ignoring %s: unreadable %s", folder, name)
            return None
        if isinstance(data, dict):
            return data
        log.warning("ignoring %s: %s is not a JSON object", folder, name)
        return None
    return None


def write_metadata(
    folder: Path,
    kind: ModelKind,
    name: str,
    origin: str,
    origin_type: OriginType,
    **details: str | None,
) -> None:
    """Write ``model.json``: what the model is and where it came from."""
    meta = {
        "kind": kind,
        "name": name,
        "origin": origin,
        "origin_type": origin_type,
        **details,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (folder / METADATA).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def installed_model(
    kind: ModelKind,
    name: str,
    path: Path,
    hf_dir: Path,
    meta: dict[str, Any],
    config: dict[str, Any],
    ct2_dir: Path | None = None,
) -> InstalledModel:
    """The record of a checked model folder, from its metadata and its config.json."""
    origin = str(meta.get("origin") or "unknown")
    origin_type: OriginType = "hub" if meta.get("origin_type") == "hub" else "import"
    return InstalledModel(
        kind=kind,
        name=name,
        path=path,
        hf_dir=hf_dir,
        model_type=str(config.get("model_type") or "unknown"),
        origin=origin,
        origin_type=origin_type,
        installed_at=str(meta.get("installed_at", "")),
        public_name=public_name(origin, origin_type, config),
        ct2_dir=ct2_dir,
    )


def public_name(origin: str, origin_type: OriginType, config: dict[str, Any]) -> str:
    """The hub repo id; for an import the config's model name, else the folder's base name."""
    if origin_type == "hub":
        return origin
    # save_pretrained records where the model was loaded from: a repo id, or a path.
    own = config.get("_name_or_path")
    if isinstance(own, str) and _REPO_ID.match(own):
        return own
    return PurePath(origin).name or "local model"


def read_json(file: Path) -> dict[str, Any]:
    """A JSON object from ``file``; raises ModelInvalid saying what is wrong."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelInvalid(f"{file} is not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ModelInvalid(f"{file} is not a JSON object")
    return data
