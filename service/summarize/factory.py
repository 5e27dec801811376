"""Build the summarizer the settings (or the caller) ask for. The API and the CLI share it."""

from __future__ import annotations

from service.config import Settings, SummaryMethod
from service.summarize.base import Summarizer
from service.summarize.budget import Budgets


def build_summarizer(settings: Settings, method: SummaryMethod | None = None) -> Summarizer:
    """The extractive summarizer, or the abstractive one over the installed model.

    Abstractive without an installed model raises ModelNotAvailable saying how to install
    one; it never falls back to extractive behind the caller's back.
    """
    budgets = Budgets.from_settings(settings)
    if (method or settings.summarizer) == "extractive":
        from service.summarize.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer(budgets)
    from service.models.store import ModelStore
    from service.summarize.abstractive import AbstractiveSummarizer

    model = ModelStore.from_settings(settings).require_summarizer(settings.abstractive_model)
    return AbstractiveSummarizer(
        model,
        budgets,
        settings.prompts_dir,
        device=settings.device,
        beam_size=settings.beam_size,
    )
