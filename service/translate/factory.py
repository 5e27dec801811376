"""Builds the sentence translator the settings ask for.

``auto`` picks per direction: CTranslate2 when a converted model is installed, else
transformers on the Hugging Face files, else (online, ``auto_pull``) it downloads the model
first, else the rule-based Apertium engine with a warning that quality is lower.
"""

from __future__ import annotations

import logging

from service.config import EngineName, Settings
from service.errors import BriefsError, EngineUnavailable, ModelNotAvailable, UnsupportedPair
from service.languages import Lang, pair_name
from service.models.marian import PAIRS
from service.models.store import InstalledModel, ModelStore, install_hint
from service.translate.base import DecodeOptions, EngineInfo, Translator, n_best

log = logging.getLogger(__name__)

_NOTHING_HINT = (
    "run `briefs models pull` (or `briefs models import PATH --pair en-es` without network), "
    "or install apertium and apertium-eng-spa"
)


class RoutingTranslator:
    """One engine per direction behind the ``Translator`` protocol (the ``auto`` engine)."""

    name = "auto"

    def __init__(self, routes: dict[str, Translator]) -> None:
        self.routes = routes

    def close(self) -> None:
        """Close the engines that have something to close (Apertium's pipelines)."""
        for engine in {id(engine): engine for engine in self.routes.values()}.values():
            close = getattr(engine, "close", None)
            if callable(close):
                close()

    def engine_for(self, source: Lang, target: Lang) -> Translator:
        """The engine that serves this direction."""
        pair = pair_name(source, target)
        if pair not in PAIRS:
            raise UnsupportedPair(f"{pair} is not a supported direction (en-es, es-en)")
        engine = self.routes.get(pair)
        if engine is None:
            raise ModelNotAvailable(f"no engine can translate {pair}", hint=install_hint(pair))
        return engine

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for this direction."""
        return self.engine_for(source, target).info(source, target)

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        """The input limit of this direction's engine."""
        return self.engine_for(source, target).max_input_tokens(source, target)

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        """Input lengths as this direction's engine counts them."""
        return self.engine_for(source, target).count_tokens(texts, source, target)

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """Translate with this direction's engine."""
        return self.engine_for(source, target).translate(texts, source, target, options)

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]] | None:
        """This direction's engine's ``n`` best translations; ``None`` when it has none."""
        return n_best(self.engine_for(source, target), texts, source, target, n, options)


def build_translator(settings: Settings, engine: EngineName | None = None) -> Translator:
    """The translator for ``engine`` (default: the settings' engine); loads no model yet."""
    name = engine or settings.engine
    store = ModelStore.from_settings(settings)
    if name == "apertium":
        apertium = _apertium(settings)
        if apertium is None:
            raise EngineUnavailable(
                f"Apertium is not available ({settings.apertium_command!r} with eng-spa)",
                hint="install apertium and apertium-eng-spa, or set BRIEFS_APERTIUM_COMMAND",
            )
        return apertium
    if name == "auto":
        return _auto(settings, store)
    neural = _neural(name, settings, store)
    if not any(_has_format(name, store.find_translation(pair)) for pair in PAIRS):
        raise ModelNotAvailable(
            f"no model for the {name} engine is installed in {settings.models_dir}",
            hint="run `briefs models pull` or `briefs models import PATH --pair en-es`",
        )
    return neural


def _auto(settings: Settings, store: ModelStore) -> Translator:
    engines: dict[str, Translator | None] = {}
    routes: dict[str, Translator] = {}

    def shared(name: str) -> Translator | None:
        """One engine object per kind, whichever directions it serves."""
        if name not in engines:
            engines[name] = (
                _neural(name, settings, store) if name != "apertium" else _apertium(settings)
            )
        return engines[name]

    for pair in PAIRS:
        model = store.find_translation(pair) or _auto_pull(settings, store, pair)
        choice: Translator | None = None
        if model is not None:
            choice = shared("ctranslate2" if model.ct2_dir else "transformers")
        else:
            choice = shared("apertium")
            if choice is not None:
                log.warning(
                    "no %s Opus-MT model installed: translating %s with Apertium, whose "
                    "quality is lower (%s)",
                    pair,
                    pair,
                    install_hint(pair),
                )
        if choice is not None:
            routes[pair] = choice
        log.info("engine for %s: %s", pair, choice.name if choice else "none")
    if not routes:
        raise ModelNotAvailable("no translation model or engine is available", hint=_NOTHING_HINT)
    return RoutingTranslator(routes)


def _auto_pull(settings: Settings, store: ModelStore, pair: str) -> InstalledModel | None:
    """Download the pair's model when allowed and online; None when that is not possible."""
    from service.extras import has_hub
    from service.models.pull import hub_offline

    if not settings.auto_pull or not has_hub() or hub_offline():
        return None
    log.warning("no %s model installed: downloading it from the Hugging Face hub", pair)
    try:
        return store.pull(pair, report=log.warning)
    except BriefsError as exc:
        log.warning("could not download the %s model: %s", pair, exc)
        return None


def _has_format(name: str, model: InstalledModel | None) -> bool:
    if model is None:
        return False
    return name != "ctranslate2" or model.ct2_dir is not None


def _neural(name: str, settings: Settings, store: ModelStore) -> Translator:
    if name == "ctranslate2":
        from service.translate.ctranslate2_engine import CTranslate2Translator

        return CTranslate2Translator(settings, store.find_translation)
    from service.extras import require_transformers
    from service.translate.transformers_engine import TransformersTranslator

    require_transformers("the transformers engine (a model without a CTranslate2 conversion)")

    return TransformersTranslator(settings, store.find_translation)


def _apertium(settings: Settings) -> Translator | None:
    """The Apertium engine, or None when its command or language data is missing."""
    from service.translate.apertium import ApertiumTranslator

    if not ApertiumTranslator.available(settings.apertium_command):
        return None
    return ApertiumTranslator(settings.apertium_command)
