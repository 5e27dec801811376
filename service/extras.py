"""The optional ``transformers`` extra: torch, transformers and the Hugging Face hub client.

Without it (``pip install briefs``, the slim image) Briefs translates with CTranslate2 models
converted elsewhere and with Apertium, and summarizes extractively. Converting a model
(``briefs models pull`` and ``import``), downloading one from the hub (``pull --no-convert``,
the auto engine's download), the ``transformers`` engine and abstractive summaries need the
extra; each says so in one line when it is missing.
"""

from __future__ import annotations

from service.errors import EngineUnavailable

INSTALL_HINT = (
    "install the extra (pip install 'briefs[transformers]') or use the full image; without it, "
    "mount models already converted to CTranslate2 (`briefs models pull` on another machine)"
)


class ExtraMissing(EngineUnavailable):
    """A feature needs an optional dependency this installation does not have."""

    code = "extra_missing"


def require_transformers(feature: str) -> None:
    """Raise ExtraMissing, naming ``feature``, when torch or transformers is not installed."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        raise ExtraMissing(
            f"{feature} needs torch and transformers, which this installation does not have",
            hint=INSTALL_HINT,
        ) from None


def has_hub() -> bool:
    """Whether huggingface-hub, the client that downloads models, is installed."""
    try:
        import huggingface_hub  # noqa: F401
    except ImportError:
        return False
    return True


def require_hub(feature: str) -> None:
    """Raise ExtraMissing, naming ``feature``, when huggingface-hub is not installed."""
    if not has_hub():
        raise ExtraMissing(
            f"{feature} needs huggingface-hub, which this installation does not have",
            hint=INSTALL_HINT,
        )
