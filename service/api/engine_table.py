"""The engine serving each direction, as ``/readyz`` and ``/v1/languages`` report it."""

from __future__ import annotations

from service.api.schemas import EngineInfoOut
from service.engines import Engines
from service.errors import BriefsError
from service.languages import LANGUAGES, other_language, pair_name


def engine_table(engines: Engines) -> dict[str, EngineInfoOut | None]:
    """The engine serving each direction, or None where none can."""
    table: dict[str, EngineInfoOut | None] = {}
    for source in LANGUAGES:
        target = other_language(source)
        try:
            table[pair_name(source, target)] = EngineInfoOut(**vars(engines.info(source, target)))
        except BriefsError:
            table[pair_name(source, target)] = None
    return table
