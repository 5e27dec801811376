"""The model store: installed translation models, and how they get installed.

Layout under ``models_dir``::

    translation/<pair>/hf/          the hub's files (config.json, *.spm, vocab.json, weights)
    translation/<pair>/ct2-int8/    the CTranslate2 conversion
    translation/<pair>/model.json   origin, install date, formats
    .staging-*/                     unfinished installs, never loaded
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from service.config import Settings
from service.errors import ModelInvalid, ModelNotAvailable, StorageError
from service.models.atomic import atomic_install, folder_size, is_staging
from service.models.convert import CT2_FORMAT, convert_to_ct2
from service.models.marian import HF_FILES, PAIRS, WEIGHT_FILES, check_marian_folder

log = logging.getLogger(__name__)

TRANSLATION = "translation"
HF_FORMAT = "hf"
METADATA = "model.json"

OriginType = Literal["hub", "import"]


def _report_to_log(message: str) -> None:
    log.info(message)


@dataclass(frozen=True)
class InstalledModel:
    """One installed translation model and the formats it has on disk."""

    pair: str
    path: Path
    origin: str  # hub repo id, or the folder it was imported from
    origin_type: OriginType
    installed_at: str
    hf_dir: Path | None
    ct2_dir: Path | None

    @property
    def formats(self) -> list[str]:
        """Formats present: ``hf`` and/or ``ct2-int8``."""
        return [name for name, d in ((HF_FORMAT, self.hf_dir), (CT2_FORMAT, self.ct2_dir)) if d]

    def size_bytes(self) -> int:
        """Bytes on disk, all formats together."""
        return folder_size(self.path)


class ModelStore:
    """Finds, lists and installs models under one models folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelStore:
        """The store at ``settings.models_dir``."""
        return cls(settings.models_dir)

    def translation_dir(self, pair: str) -> Path:
        """Where the model for ``pair`` lives (whether or not it is installed)."""
        return self.root / TRANSLATION / pair

    def find_translation(self, pair: str) -> InstalledModel | None:
        """The installed model for ``pair``, or None when there is none usable."""
        path = self.translation_dir(pair)
        try:
            meta = json.loads((path / METADATA).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            log.warning("ignoring %s: unreadable %s", path, METADATA)
            return None
        hf_dir, ct2_dir = path / HF_FORMAT, path / CT2_FORMAT
        has_hf = (hf_dir / "config.json").is_file() and any(
            (hf_dir / name).is_file() for name in WEIGHT_FILES
        )
        has_ct2 = (ct2_dir / "model.bin").is_file() and has_hf  # tokenizer files live in hf/
        if not has_hf:
            return None
        return InstalledModel(
            pair=pair,
            path=path,
            origin=str(meta.get("origin", "unknown")),
            origin_type="hub" if meta.get("origin_type") == "hub" else "import",
            installed_at=str(meta.get("installed_at", "")),
            hf_dir=hf_dir,
            ct2_dir=ct2_dir if has_ct2 else None,
        )

    def list(self) -> list[InstalledModel]:
        """Every installed translation model, sorted by pair."""
        base = self.root / TRANSLATION
        if not base.is_dir():
            return []
        found = (
            self.find_translation(d.name)
            for d in sorted(base.iterdir())
            if d.is_dir() and not is_staging(d)
        )
        return [model for model in found if model is not None]

    def import_folder(
        self,
        path: Path,
        pair: str | None = None,
        *,
        convert: bool = True,
        report: Callable[[str], None] = _report_to_log,
    ) -> InstalledModel:
        """Install a local Hugging Face Marian folder, then convert it to CTranslate2."""
        if pair is not None and pair not in PAIRS:
            raise ModelInvalid(f"unknown pair {pair!r}", hint="use en-es or es-en")
        folder = check_marian_folder(path.expanduser(), pair)
        report(f"importing {folder.path} as {folder.pair} (pair from {folder.evidence})")

        def copy_files(destination: Path) -> None:
            destination.mkdir(parents=True)
            for name in HF_FILES:
                if name in WEIGHT_FILES and name != folder.weights:
                    continue
                if (folder.path / name).is_file():
                    shutil.copy2(folder.path / name, destination / name)

        origin = str(folder.path.resolve())
        return self.install_translation(folder.pair, origin, "import", copy_files, convert, report)

    def pull(
        self, pair: str, *, convert: bool = True, report: Callable[[str], None] = _report_to_log
    ) -> InstalledModel:
        """Download the pair's Opus-MT model from the hub, then convert it to CTranslate2."""
        from service.models.pull import pull_files

        hub, download = pull_files(pair, report)
        return self.install_translation(
            pair, hub.repo_id, "hub", download, convert, report, revision=hub.revision
        )

    def convert(
        self, pair: str, *, report: Callable[[str], None] = _report_to_log
    ) -> InstalledModel:
        """(Re)build the CTranslate2 conversion of an installed model, atomically."""
        model = self.find_translation(pair)
        if model is None or model.hf_dir is None:
            raise ModelNotAvailable(f"no {pair} model is installed", hint=install_hint(pair))
        report(f"converting {pair} to CTranslate2 ({CT2_FORMAT})")
        final = model.path / CT2_FORMAT
        with _writing(self.root, f"the {pair} model"), atomic_install(final, self.root) as staging:
            convert_to_ct2(model.hf_dir, staging)
        converted = self.find_translation(pair)
        if converted is None or converted.ct2_dir is None:
            raise ModelInvalid(f"the {pair} conversion at {model.path} is unusable")
        return converted

    def install_translation(
        self,
        pair: str,
        origin: str,
        origin_type: OriginType,
        fill_hf: Callable[[Path], None],
        convert: bool,
        report: Callable[[str], None],
        *,
        revision: str | None = None,
    ) -> InstalledModel:
        """Build ``hf/`` with ``fill_hf``, check it, convert it, then swap it in atomically."""
        final = self.translation_dir(pair)
        with _writing(self.root, f"the {pair} model"), atomic_install(final, self.root) as staging:
            hf_dir = staging / HF_FORMAT
            fill_hf(hf_dir)
            folder = check_marian_folder(hf_dir, pair)
            if convert:
                report(f"converting {pair} to CTranslate2 ({CT2_FORMAT})")
                convert_to_ct2(hf_dir, staging / CT2_FORMAT)
            meta = {
                "kind": TRANSLATION,
                "pair": pair,
                "origin": origin,
                "origin_type": origin_type,
                "revision": revision,
                "weights": folder.weights,
                "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            (staging / METADATA).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        model = self.find_translation(pair)
        if model is None:
            raise ModelInvalid(f"the {pair} model just installed in {self.root} is unusable")
        size = model.size_bytes() / 1e6
        report(f"installed {pair} ({', '.join(model.formats)}, {size:.0f} MB) from {origin}")
        return model


def install_hint(pair: str) -> str:
    """How to install the model for ``pair``, for error messages."""
    return f"run `briefs models pull {pair}` or `briefs models import PATH --pair {pair}`"


@contextmanager
def _writing(root: Path, what: str) -> Iterator[None]:
    """Disk full, no permission: one clear error (the store is left as it was)."""
    try:
        yield
    except OSError as exc:
        raise StorageError(f"could not install {what} in {root}: {exc}") from None
