"""Downloads from the Hugging Face hub, only the files Briefs needs: Opus-MT and summarizers.

huggingface-hub comes with the ``transformers`` extra: every import of it is inside a function,
after ``require_hub`` (or ``has_hub``) has said it is there.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.errors import ModelNotAvailable, NetworkUnavailable
from service.extras import require_hub
from service.models.layout import WEIGHT_FILES
from service.models.marian import OPTIONAL_FILES, REQUIRED_FILES

HUB_REPOS = {"en-es": "Helsinki-NLP/opus-mt-en-es", "es-en": "Helsinki-NLP/opus-mt-es-en"}
HUB_TIMEOUT_S = 15.0
# What a summarizer pull takes: config, tokenizer and PyTorch weights, not TF/Flax/ONNX copies.
SUMMARIZER_PATTERNS = [
    "*.json",
    "*.model",
    "*.txt",
    *WEIGHT_FILES,
    "model-*.safetensors",
    "pytorch_model-*.bin",
]


@dataclass(frozen=True)
class HubModel:
    """One model on the hub: the commit to download and the files Briefs takes from it."""

    repo_id: str
    revision: str | None
    files: tuple[str, ...]
    size_bytes: int


def hub_offline() -> bool:
    """Whether Hugging Face offline mode (HF_HUB_OFFLINE=1) is on."""
    from huggingface_hub import constants

    return constants.is_offline_mode()


def resolve(pair: str) -> HubModel:
    """Ask the hub which files of the pair's repo to download; raises NetworkUnavailable."""
    repo_id = HUB_REPOS[pair]
    require_hub(f"downloading {repo_id}")
    from huggingface_hub import HfApi
    from huggingface_hub.errors import GatedRepoError, HTTPError, RepositoryNotFoundError

    if hub_offline():
        raise _offline(pair, "Hugging Face offline mode is on (HF_HUB_OFFLINE=1)")
    try:
        info = HfApi().model_info(repo_id, files_metadata=True, timeout=HUB_TIMEOUT_S)
    except (RepositoryNotFoundError, GatedRepoError) as exc:
        raise ModelNotAvailable(f"the hub has no usable {repo_id}: {exc}") from None
    except (HTTPError, OSError) as exc:
        raise _offline(pair, f"the hub is unreachable ({type(exc).__name__}: {exc})") from None
    sizes = {s.rfilename: s.size or 0 for s in info.siblings or []}
    weights = next((name for name in WEIGHT_FILES if name in sizes), None)
    missing = [name for name in REQUIRED_FILES if name not in sizes]
    if weights is None or missing:
        raise ModelNotAvailable(f"{repo_id} on the hub lacks {', '.join(missing) or 'weights'}")
    files = (*REQUIRED_FILES, *(name for name in OPTIONAL_FILES if name in sizes), weights)
    return HubModel(repo_id, info.sha, files, sum(sizes[name] for name in files))


def download(model: HubModel, destination: Path, pair: str) -> None:
    """Download the model's files into ``destination`` (progress bars on stderr)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HTTPError

    try:
        snapshot_download(
            model.repo_id,
            revision=model.revision,
            allow_patterns=list(model.files),
            local_dir=destination,
            etag_timeout=HUB_TIMEOUT_S,
        )
    except (HTTPError, OSError) as exc:
        raise _offline(pair, f"the download failed ({type(exc).__name__}: {exc})") from None
    shutil.rmtree(destination / ".cache", ignore_errors=True)  # the hub client's bookkeeping


def summarizer_files(repo_id: str) -> Callable[[Path], None]:
    """A function that downloads the seq2seq model ``repo_id`` to a folder; checks online first."""
    hint = f"copy the model folder here and run `briefs models import PATH --summarizer {repo_id}`"
    require_hub(f"downloading {repo_id}")
    if hub_offline():
        raise NetworkUnavailable(
            f"cannot download {repo_id}: Hugging Face offline mode is on (HF_HUB_OFFLINE=1)",
            hint=hint,
        )

    def download_to(destination: Path) -> None:
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HTTPError, RepositoryNotFoundError

        try:
            snapshot_download(
                repo_id,
                allow_patterns=SUMMARIZER_PATTERNS,
                local_dir=destination,
                etag_timeout=HUB_TIMEOUT_S,
            )
        except RepositoryNotFoundError:
            raise ModelNotAvailable(f"the hub has no model {repo_id}") from None
        except (HTTPError, OSError) as exc:
            raise NetworkUnavailable(
                f"cannot download {repo_id}: {type(exc).__name__}: {exc}", hint=hint
            ) from None
        shutil.rmtree(destination / ".cache", ignore_errors=True)

    return download_to


def pull_files(pair: str, report: Callable[[str], None]) -> tuple[HubModel, Callable[[Path], None]]:
    """Resolve the pair on the hub; returns it and a function that downloads it to a folder."""
    model = resolve(pair)
    size_mb = model.size_bytes / 1e6
    report(f"downloading {model.repo_id} ({size_mb:.0f} MB, {len(model.files)} files)")
    return model, lambda destination: download(model, destination, pair)


def _offline(pair: str, why: str) -> NetworkUnavailable:
    return NetworkUnavailable(
        f"cannot download {HUB_REPOS[pair]}: {why}",
        hint=f"copy a model folder here and run `briefs models import PATH --pair {pair}`",
    )
