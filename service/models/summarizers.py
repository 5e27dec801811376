"""The summarizer part of the model store: seq2seq models (T5, mT5, mT0, BART) for summaries.

Layout under ``models_dir``::

    summarizer/<name>/              the Hugging Face files (config.json, tokenizer, weights)
    summarizer/<name>/briefs.json   origin, install date, model type

``<name>`` is the name given to ``import`` or the hub repo id with ``/`` written as ``--``
(``bigscience/mt0-small`` -> ``bigscience--mt0-small``). Installs are atomic: the files are
put together in a staging folder that is renamed into place only when complete.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from service.config import Settings
from service.errors import InvalidInput, ModelInvalid, ModelNotAvailable, NetworkUnavailable
from service.models.atomic import atomic_install, folder_size, is_staging

SUMMARIZER = "summarizer"
METADATA = "briefs.json"
HUB_TIMEOUT_S = 15.0
SUGGESTED = "bigscience/mt0-small"
SEQ2SEQ_TYPES = frozenset({"t5", "mt5", "umt5", "bart", "mbart", "pegasus"})
WEIGHT_FILES = (
    "model.safetensors",
    "pytorch_model.bin",
    "model.safetensors.index.json",
    "pytorch_model.bin.index.json",
)
TOKENIZER_FILES = ("tokenizer.json", "spiece.model", "sentencepiece.bpe.model", "vocab.json")
# What a pull downloads: config, tokenizer and PyTorch weights, not TF/Flax/ONNX copies.
HUB_PATTERNS = [
    "*.json",
    "*.model",
    "*.txt",
    "model.safetensors",
    "model-*.safetensors",
    "pytorch_model.bin",
    "pytorch_model-*.bin",
]
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

OriginType = Literal["hub", "import"]


@dataclass(frozen=True)
class InstalledSummarizer:
    """One installed summarizer model."""

    name: str
    path: Path
    model_type: str
    origin: str
    origin_type: OriginType
    installed_at: str

    def size_bytes(self) -> int:
        """Bytes on disk."""
        return folder_size(self.path)


def store_name(name: str) -> str:
    """The folder name for a model name or hub repo id; raises InvalidInput on a bad one."""
    local = name.strip().replace("/", "--")
    if not _NAME.match(local) or ".." in local or name.count("/") > 1:
        raise InvalidInput(
            f"bad summarizer name {name!r}: use letters, digits, '.', '_', '-' "
            "(or a hub repo id like owner/model)"
        )
    return local


def summarizers_dir(settings: Settings) -> Path:
    """Where summarizer models live."""
    return settings.models_dir / SUMMARIZER


def check_summarizer_folder(path: Path) -> str:
    """The model type of a seq2seq model folder; raises ModelInvalid saying what is wrong."""
    if not path.is_dir():
        raise ModelInvalid(f"{path} is not a folder")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except OSError:
        raise ModelInvalid(f"{path} has no config.json: not a Hugging Face model folder") from None
    except json.JSONDecodeError as exc:
        raise ModelInvalid(f"{path}/config.json is not valid JSON: {exc}") from None
    model_type = str(config.get("model_type", ""))
    if model_type not in SEQ2SEQ_TYPES:
        raise ModelInvalid(
            f"{path} holds a {model_type or 'unknown'} model; summaries need a seq2seq model "
            f"of type {', '.join(sorted(SEQ2SEQ_TYPES))}"
        )
    if not any((path / name).is_file() for name in WEIGHT_FILES):
        raise ModelInvalid(f"{path} has no weights ({' or '.join(WEIGHT_FILES[:2])})")
    if not any((path / name).is_file() for name in TOKENIZER_FILES):
        raise ModelInvalid(f"{path} has no tokenizer ({' or '.join(TOKENIZER_FILES)})")
    return model_type


def _write_metadata(folder: Path, model_type: str, origin: str, origin_type: OriginType) -> None:
    metadata = {
        "model_type": model_type,
        "origin": origin,
        "origin_type": origin_type,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (folder / METADATA).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")


def _read(path: Path) -> InstalledSummarizer | None:
    try:
        metadata = json.loads((path / METADATA).read_text(encoding="utf-8"))
        model_type = check_summarizer_folder(path)
    except (OSError, json.JSONDecodeError, ModelInvalid):
        return None
    return InstalledSummarizer(
        name=path.name,
        path=path,
        model_type=model_type,
        origin=str(metadata.get("origin", "")),
        origin_type="hub" if metadata.get("origin_type") == "hub" else "import",
        installed_at=str(metadata.get("installed_at", "")),
    )


def find_summarizer(settings: Settings, name: str) -> InstalledSummarizer | None:
    """The installed summarizer called ``name`` (or that hub repo id), if it is usable."""
    path = summarizers_dir(settings) / store_name(name)
    return _read(path) if path.is_dir() else None


def list_summarizers(settings: Settings) -> list[InstalledSummarizer]:
    """Every usable installed summarizer, by name."""
    root = summarizers_dir(settings)
    if not root.is_dir():
        return []
    found = (_read(p) for p in sorted(root.iterdir()) if p.is_dir() and not is_staging(p))
    return [model for model in found if model is not None]


def import_summarizer(settings: Settings, path: Path, name: str) -> InstalledSummarizer:
    """Copy a local seq2seq model folder into the store as ``name``."""
    model_type = check_summarizer_folder(path)
    final = summarizers_dir(settings) / store_name(name)
    ignore = shutil.ignore_patterns(".git", ".cache", "*.h5", "*.msgpack", "*.onnx", METADATA)
    with atomic_install(final, settings.models_dir) as staging:
        shutil.copytree(path, staging, ignore=ignore, dirs_exist_ok=True)
        _write_metadata(staging, model_type, str(path.resolve()), "import")
    installed = _read(final)
    if installed is None:  # pragma: no cover - the folder was checked before copying
        raise ModelInvalid(f"the copy of {path} at {final} is not usable")
    return installed


def pull_summarizer(
    settings: Settings, name: str, report: Callable[[str], None] | None = None
) -> InstalledSummarizer:
    """Download the hub repo ``name`` (e.g. ``bigscience/mt0-small``) into the store."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import HTTPError, RepositoryNotFoundError

    final = summarizers_dir(settings) / store_name(name)
    hint = f"copy the model folder here and run `briefs models import PATH --summarizer {name}`"
    if constants.is_offline_mode():
        raise NetworkUnavailable(
            f"cannot download {name}: Hugging Face offline mode is on (HF_HUB_OFFLINE=1)",
            hint=hint,
        )
    if report:
        report(f"downloading {name} into {final}")
    with atomic_install(final, settings.models_dir) as staging:
        try:
            snapshot_download(
                name, allow_patterns=HUB_PATTERNS, local_dir=staging, etag_timeout=HUB_TIMEOUT_S
            )
        except RepositoryNotFoundError:
            raise ModelNotAvailable(f"the hub has no model {name}") from None
        except (HTTPError, OSError) as exc:
            raise NetworkUnavailable(
                f"cannot download {name}: {type(exc).__name__}: {exc}", hint=hint
            ) from None
        shutil.rmtree(staging / ".cache", ignore_errors=True)
        model_type = check_summarizer_folder(staging)
        _write_metadata(staging, model_type, name, "hub")
    installed = _read(final)
    if installed is None:  # pragma: no cover - checked in staging
        raise ModelInvalid(f"the download of {name} at {final} is not usable")
    return installed


def require_summarizer(settings: Settings, name: str | None) -> InstalledSummarizer:
    """The summarizer to use for abstractive summaries; ModelNotAvailable with the fix if none."""
    fix = (
        f"install one with `briefs models pull --summarizer {SUGGESTED}` or "
        "`briefs models import PATH --summarizer NAME`, then set BRIEFS_ABSTRACTIVE_MODEL=NAME"
    )
    if name is not None:
        installed = find_summarizer(settings, name)
        if installed is None:
            raise ModelNotAvailable(
                f"the summarizer model {name!r} is not installed in {summarizers_dir(settings)}",
                hint=fix,
            )
        return installed
    models = list_summarizers(settings)
    if len(models) == 1:
        return models[0]
    if not models:
        raise ModelNotAvailable(
            "abstractive summaries need a summarizer model, and none is installed", hint=fix
        )
    names = ", ".join(model.name for model in models)
    raise ModelNotAvailable(
        f"several summarizer models are installed ({names})",
        hint="choose one with BRIEFS_ABSTRACTIVE_MODEL=NAME",
    )
