from __future__ import annotations

import pytest

from service.translate.quality import degeneracy, longest_repeat


@pytest.mark.parametrize(
    ("source", "output"),
    [
        ("The flights will increase.", "Los vuelos aumentarán."),
        ("Ha ha ha ha ha, he said.", "Ja ja ja ja ja, dijo."),
        ("EE. UU.", "Estados Unidos de América"),
        ("", ""),
        ("The flights will increase.", "Vuelos " + "a" * 9),  # 9 times is not yet a loop
        ("The flights will increase.", "y vuelos y aumentan y ya y"),  # 4 times, apart
    ],
)
def test_good_output_passes(source: str, output: str) -> None:
    assert degeneracy(source, output) is None


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("Los vuelos de la de la de la de la de la aumentarán.", "“de la” repeated 5 times"),
        ("Vuelos " + "y " * 8, "“y” repeated 8 times"),
        ("Vuelos " + "a" * 60, "“a” repeated 60 times"),
        ("Vuelos " + "a" * 10, "“a” repeated 10 times"),  # the shortest character loop
        ("Vuelos " + "la" * 10, "“la” repeated 10 times"),
        ("Vuelos y y y y aumentan", "“y” repeated 4 times"),  # the fewest repeats
        ("Los vuelos. " * 20, "longer than the source"),
        ("   ", "the engine returned nothing"),
    ],
)
def test_degenerate_output_is_named(output: str, reason: str) -> None:
    found = degeneracy("The flights will increase quickly now.", output)
    assert found is not None and reason in found


def test_longest_repeat() -> None:
    assert longest_repeat("a b c a b c a b c d".split()) == (3, "a b c")
    assert longest_repeat([]) == (1, "")
