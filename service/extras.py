"""The optional ``transformers`` extra: torch and transformers, which only some features need.

Without it (``pip install briefs``, the slim image) Briefs translates with CTranslate2 models
converted elsewhere and with Apertium, and summarizes extractively. Converting a model
(``briefs models pull`` and ``import``), the ``transformers`` engine and abstractive summaries
need the extra; each says so in one line when it is missing.
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
