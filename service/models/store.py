"""The model store: installed translation and summarizer models, and how they get installed.

The layout on disk is in ``layout``; every install is atomic (``atomic``): the files are put
together in a staging folder that is renamed into place only when complete and checked.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from service.config import Settings
from service.errors import ModelInvalid, ModelNotAvailable, StorageError
from service.extras import require_transformers
from service.models.atomic import atomic_install, is_staging
from service.models.convert import CT2_FORMAT, convert_to_ct2
from service.models.layout import (
    HF_FORMAT,
    KINDS,
    LEGACY_METADATA,
    METADATA,
    SUMMARIZER,
    TRANSLATION,
    WEIGHT_FILES,
    InstalledModel,
    ModelKind,
    OriginType,
    has_weights,
    installed_model,
    read_json,
    read_metadata,
    write_metadata,
)
from service.models.marian import HF_FILES, PAIRS, check_marian_folder
from service.models.seq2seq import SUGGESTED, check_summarizer_folder, store_name

__all__ = ["InstalledModel", "ModelKind", "ModelStore", "OriginType", "install_hint"]

log = logging.getLogger(__name__)

Report = Callable[[str], None]


def _report_to_log(message: str) -> None:
    log.info(message)


class ModelStore:
    """Finds, lists and installs models of both kinds under one models folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelStore:
        """The store at ``settings.models_dir``."""
        return cls(settings.models_dir)

    # --- finding ----------------------------------------------------------------------
    def kind_dir(self, kind: ModelKind) -> Path:
        """Where models of one kind live."""
        return self.root / kind

    def translation_dir(self, pair: str) -> Path:
        """Where the model for ``pair`` lives (whether or not it is installed)."""
        return self.kind_dir(TRANSLATION) / pair

    def summarizer_dir(self, name: str) -> Path:
        """Where the summarizer ``name`` (or that hub repo id) lives; InvalidInput on a bad name."""
        return self.kind_dir(SUMMARIZER) / store_name(name)

    def find_translation(self, pair: str) -> InstalledModel | None:
        """The installed model for ``pair``, or None when there is none usable."""
        path = self.translation_dir(pair)
        meta = read_metadata(path)
        hf_dir, ct2_dir = path / HF_FORMAT, path / CT2_FORMAT
        if meta is None or not (hf_dir / "config.json").is_file() or not has_weights(hf_dir):
            return None
        try:
            config = read_json(hf_dir / "config.json")
        except ModelInvalid:
            config = {}  # the engine says what is wrong when it loads the model
        has_ct2 = (ct2_dir / "model.bin").is_file()  # its tokenizer files live in hf/
        return installed_model(
            TRANSLATION, pair, path, hf_dir, meta, config, ct2_dir if has_ct2 else None
        )

    def find_summarizer(self, name: str) -> InstalledModel | None:
        """The installed summarizer called ``name`` (or that hub repo id), if it is usable."""
        path = self.summarizer_dir(name)
        meta = read_metadata(path)
        try:
            check_summarizer_folder(path)
            config = read_json(path / "config.json")
        except ModelInvalid:
            return None
        if meta is None:
            return None
        return installed_model(SUMMARIZER, path.name, path, path, meta, config)

    def list(self, kind: ModelKind | None = None) -> list[InstalledModel]:
        """Every usable installed model (of ``kind``, or all): translation first, by name."""
        found: list[InstalledModel] = []
        for each in (kind,) if kind else KINDS:
            base = self.kind_dir(each)
            if not base.is_dir():
                continue
            find = self.find_translation if each == TRANSLATION else self.find_summarizer
            for folder in sorted(base.iterdir()):
                if folder.is_dir() and not is_staging(folder):
                    model = find(folder.name)
                    if model is not None:
                        found.append(model)
        return found

    def require_summarizer(self, name: str | None) -> InstalledModel:
        """The summarizer for abstractive summaries; ModelNotAvailable with the fix if none."""
        fix = (
            f"install one with `briefs models pull --summarizer {SUGGESTED}` or "
            "`briefs models import PATH --summarizer NAME`, then set BRIEFS_ABSTRACTIVE_MODEL=NAME"
        )
        if name is not None:
            installed = self.find_summarizer(name)
            if installed is None:
                where = self.kind_dir(SUMMARIZER)
                raise ModelNotAvailable(
                    f"the summarizer model {name!r} is not installed in {where}", hint=fix
                )
            return installed
        models = self.list(SUMMARIZER)
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

    # --- installing translation models ------------------------------------------------
    def import_folder(
        self,
        path: Path,
        pair: str | None = None,
        *,
        convert: bool = True,
        report: Report = _report_to_log,
    ) -> InstalledModel:
        """Install a local Hugging Face Marian folder, then convert it to CTranslate2."""
        if pair is not None and pair not in PAIRS:
            raise ModelInvalid(f"unknown pair {pair!r}", hint="use en-es or es-en")
        folder = check_marian_folder(path.expanduser(), pair)
        if convert:
            require_transformers("converting a model to CTranslate2")
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
        self, pair: str, *, convert: bool = True, report: Report = _report_to_log
    ) -> InstalledModel:
        """Download the pair's Opus-MT model from the hub, then convert it to CTranslate2."""
        from service.models.pull import pull_files

        if convert:  # before the download, not after it
            require_transformers("converting a model to CTranslate2")

        hub, download = pull_files(pair, report)
        return self.install_translation(
            pair, hub.repo_id, "hub", download, convert, report, revision=hub.revision
        )

    def convert(self, pair: str, *, report: Report = _report_to_log) -> InstalledModel:
        """(Re)build the CTranslate2 conversion of an installed model, atomically."""
        model = self.find_translation(pair)
        if model is None:
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
        report: Report,
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
            write_metadata(
                staging, TRANSLATION, pair, origin, origin_type,
                pair=pair, revision=revision, weights=folder.weights,
            )  # fmt: skip
        model = self.find_translation(pair)
        if model is None:
            raise ModelInvalid(f"the {pair} model just installed in {self.root} is unusable")
        size = model.size_bytes() / 1e6
        report(f"installed {pair} ({', '.join(model.formats)}, {size:.0f} MB) from {origin}")
        return model

    # --- installing summarizers -------------------------------------------------------
    def import_summarizer(
        self, path: Path, name: str, *, report: Report = _report_to_log
    ) -> InstalledModel:
        """Copy a local seq2seq model folder into the store as ``name``."""
        path = path.expanduser()
        self.summarizer_dir(name)  # a bad name fails before any work
        check_summarizer_folder(path)
        ignore = shutil.ignore_patterns(
            ".git", ".cache", "*.h5", "*.msgpack", "*.onnx", METADATA, LEGACY_METADATA
        )

        def copy_files(destination: Path) -> None:
            shutil.copytree(path, destination, ignore=ignore, dirs_exist_ok=True)

        report(f"importing {path} as the summarizer {name}")
        return self._install_summarizer(name, str(path.resolve()), "import", copy_files)

    def pull_summarizer(self, name: str, *, report: Report = _report_to_log) -> InstalledModel:
        """Download the hub repo ``name`` (e.g. ``bigscience/mt0-small``) into the store."""
        from service.models.pull import summarizer_files

        final = self.summarizer_dir(name)
        download = summarizer_files(name)
        report(f"downloading {name} into {final}")
        return self._install_summarizer(name, name, "hub", download)

    def _install_summarizer(
        self, name: str, origin: str, origin_type: OriginType, fill: Callable[[Path], None]
    ) -> InstalledModel:
        final = self.summarizer_dir(name)
        with (
            _writing(self.root, f"the summarizer {name}"),
            atomic_install(final, self.root) as staging,
        ):
            fill(staging)
            model_type = check_summarizer_folder(staging)
            write_metadata(
                staging, SUMMARIZER, final.name, origin, origin_type, model_type=model_type
            )
        installed = self.find_summarizer(name)
        if installed is None:  # pragma: no cover - checked in staging
            raise ModelInvalid(f"the summarizer {name} just installed at {final} is unusable")
        return installed


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
