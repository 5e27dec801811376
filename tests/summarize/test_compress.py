"""The sentence compression rules, on sentences written for these tests (not the articles)."""

from __future__ import annotations

import pytest

from service.languages import Lang
from service.summarize.compress import (
    compress,
    drop_unused_acronyms,
    trim_attribution,
    trim_relative_day,
)

ATTRIBUTIONS: list[tuple[Lang, str, str]] = [
    (
        "en",
        "Floods destroyed more than 300 homes in the northern province, officials said on Monday.",
        "Floods destroyed more than 300 homes in the northern province.",
    ),
    (
        "en",
        "The port will reopen to cargo ships next month, the transport ministry said in a "
        "statement.",
        "The port will reopen to cargo ships next month.",
    ),
    (
        "en",
        "The central bank cut its key interest rate by half a point, said the bank's governor, "
        "Ana Ruiz.",
        "The central bank cut its key interest rate by half a point.",
    ),
    (
        "en",
        "Coffee exports fell sharply in the first quarter, according to the national coffee board.",
        "Coffee exports fell sharply in the first quarter.",
    ),
    (
        "es",
        "Las lluvias dejaron sin electricidad a unas 40.000 viviendas de la costa norte, informó "
        "este martes la Empresa Nacional de Energía Eléctrica (ENEE).",
        "Las lluvias dejaron sin electricidad a unas 40.000 viviendas de la costa norte.",
    ),
    (
        "es",
        "El desempleo subió al 7 % en el último trimestre, según el Instituto Nacional de "
        "Estadística, Censos y Encuestas.",
        "El desempleo subió al 7 % en el último trimestre.",
    ),
    (
        "es",
        "El puente colgante quedó inservible tras la crecida del río, las autoridades confirmaron.",
        "El puente colgante quedó inservible tras la crecida del río.",
    ),
    (
        "es",
        "La cosecha de cacao será la más baja en una década, de acuerdo con datos de la "
        "cámara de exportadores.",
        "La cosecha de cacao será la más baja en una década.",
    ),
]


@pytest.mark.parametrize(("language", "sentence", "expected"), ATTRIBUTIONS)
def test_a_trailing_attribution_is_cut(language: Lang, sentence: str, expected: str) -> None:
    assert trim_attribution(sentence, language) == expected


KEPT_ATTRIBUTIONS: list[tuple[Lang, str]] = [
    # "said" (or "según") is the only verb: no sentence would be left.
    ("en", "In a statement released by its press office late at night, the ministry said."),
    ("en", "The worst floods in the northern provinces in half a century, officials said."),
    (
        "es",
        "Las peores inundaciones en las provincias del norte en medio siglo, según el Gobierno.",
    ),
    # The names are the subject, not a source: "Honduras and Guatemala said" is no attribution.
    ("en", "Several migrants who crossed the river from Mexico, Honduras and Guatemala said."),
    # "según" in mid-sentence, and a "según" that opens a clause of its own.
    ("es", "Según el último censo, la población de la capital creció un 12 % en una década."),
    ("es", "La producción de café, según los exportadores, caerá este año por la roya."),
    (
        "es",
        "Los dos países firmaron un acuerdo, según el cual Guatemala recibirá a los refugiados.",
    ),
    # A clause after the source is content: "el peor registro de la década".
    (
        "es",
        "La inflación cerró el año en el 9 %, según el ministerio, el peor registro de la década.",
    ),
    # A negation in the tail is content ("has not confirmed" is not "said"), and so is what
    # the source's clause says.
    ("en", "Two miners remain trapped under the collapsed gallery, the company has not confirmed."),
    ("es", "Dos mineros siguen atrapados bajo la galería derrumbada, la empresa no confirmó."),
    (
        "en",
        "The mine will close by the end of the year, said a manager who did not want to be named.",
    ),
    ("es", "Los cultivos se perdieron por la sequía, dijo un portavoz que no quiso dar su nombre."),
    # A figure in the tail.
    ("en", "Prices rose again in the capital, according to a survey of 1,200 households."),
    # A direct quotation: cutting its speaker would leave a bare quote.
    ("en", '"We will rebuild every house in this valley," said the mayor, Luis Pérez.'),
    ("es", "«Vamos a reconstruir cada casa que se llevó el río», dijo el alcalde, Luis Pérez."),
    # What follows the comma is a clause that reports something, not who reported it.
    ("en", "The road to the coast was closed for a week, officials said the bridge had collapsed."),
]


@pytest.mark.parametrize(("language", "sentence"), KEPT_ATTRIBUTIONS)
def test_an_attribution_that_is_not_safe_to_cut_is_kept(language: Lang, sentence: str) -> None:
    assert trim_attribution(sentence, language) == sentence


DAYS: list[tuple[Lang, str, str]] = [
    (
        "en",
        "Police arrested two suspects on Friday night after a chase through the city.",
        "Police arrested two suspects after a chase through the city.",
    ),
    (
        "en",
        "The senate approved the budget early Thursday, ending a month of talks.",
        "The senate approved the budget, ending a month of talks.",
    ),
    (
        "en",
        "The company will hire 500 nurses, the health minister said on Wednesday, as hospitals "
        "fill up.",
        "The company will hire 500 nurses, the health minister said, as hospitals fill up.",
    ),
    (
        "es",
        "El Banco Central subió este jueves su tasa de interés de referencia.",
        "El Banco Central subió su tasa de interés de referencia.",
    ),
    (
        "es",
        "Un incendio destruyó en la madrugada del sábado el mercado municipal de la ciudad.",
        "Un incendio destruyó el mercado municipal de la ciudad.",
    ),
    (
        "es",
        "La selección se clasificó el domingo para el Mundial tras ganar en casa.",
        "La selección se clasificó para el Mundial tras ganar en casa.",
    ),
]


@pytest.mark.parametrize(("language", "sentence", "expected"), DAYS)
def test_the_relative_day_of_past_news_is_cut(language: Lang, sentence: str, expected: str) -> None:
    assert trim_relative_day(sentence, language) == expected


KEPT_DAYS: list[tuple[Lang, str]] = [
    # When something will happen is the news.
    ("en", "The assembly will vote on the new mining law on Thursday."),
    ("es", "El Congreso votará la reforma electoral el jueves por la tarde."),
    ("es", "Las clases se suspenden desde el lunes en toda la región."),
    ("en", "Starting on Monday, buses stop at the new terminal in the north of the city."),
    # A negation reaches the day: the plane left, just not on Monday.
    ("en", "The border crossing did not reopen on Monday, as the government had promised."),
    ("es", "El aeropuerto no reabrió este lunes, como había prometido el Gobierno."),
    # Part of a name, of a range, or of a date with its number.
    ("es", "Miles de fieles llenaron las calles el domingo de Ramos para ver las procesiones."),
    ("es", "Los bancos cerraron el lunes y el martes por la huelga de los empleados."),
    ("en", "Banks stayed closed on Monday and Tuesday because of the strike."),
    ("es", "Las elecciones se celebraron el domingo 4 de febrero con una alta participación."),
    # A noun after the day: "Sunday trading" is not a day.
    ("en", "Shopkeepers campaigned for years against a ban on Sunday trading in the city."),
    # The day is the subject.
    ("es", "La policía dijo que el domingo fue el día más violento del año en la capital."),
]


@pytest.mark.parametrize(("language", "sentence"), KEPT_DAYS)
def test_a_day_that_carries_meaning_is_kept(language: Lang, sentence: str) -> None:
    assert trim_relative_day(sentence, language) == sentence


def test_an_unused_acronym_is_dropped_in_both_languages() -> None:
    english = [
        "The National Electoral Institute (INE) certified the result of the vote.",
        "Turnout was the highest in two decades.",
    ]
    assert drop_unused_acronyms(english)[0] == (
        "The National Electoral Institute certified the result of the vote."
    )
    spanish = ["La Comisión Nacional del Agua (Conagua) decretó la emergencia por sequía."]
    assert drop_unused_acronyms(spanish) == [
        "La Comisión Nacional del Agua decretó la emergencia por sequía."
    ]


def test_an_acronym_the_summary_uses_again_is_kept() -> None:
    sentences = [
        "The National Electoral Institute (INE) certified the result of the vote.",
        "The INE said turnout was the highest in two decades.",
    ]
    assert drop_unused_acronyms(sentences) == sentences


@pytest.mark.parametrize(
    "sentence",
    [
        # A figure in parentheses is a fact, and so is a lower-case aside.
        "The storm forced the evacuation of the coastal villages (about 2,300 people).",
        "The Fuego volcano (3,763 metres) erupted again.",
        "Leaf rust (roya, in Spanish) covers the leaves with orange powder.",
        "Leaders of the Group of Twenty (G20) met in Brazil.",
        # Not after a name.
        "The park's new attraction (Sky Walk) opened to visitors in March.",
    ],
)
def test_parentheses_that_are_not_a_names_acronym_are_kept(sentence: str) -> None:
    assert drop_unused_acronyms([sentence]) == [sentence]


def test_compress_applies_the_rules_asked_for_and_keeps_the_final_stop() -> None:
    sentence = "Rebels freed 12 hostages in the mountains on Sunday, the army said."
    assert compress(sentence, "en") == "Rebels freed 12 hostages in the mountains."
    assert (
        compress(sentence, "en", ("day",))
        == "Rebels freed 12 hostages in the mountains, the army said."
    )
    assert compress(sentence, "en", ("attribution",)) == (
        "Rebels freed 12 hostages in the mountains on Sunday."
    )
    assert compress(sentence, "en", ()) == sentence
    question = "Will the dam hold until the rains end, asked the governor?"
    assert compress(question, "en") == question  # "asked" reports no news
    assert compress("Prices rose, he said!", "en") == "Prices rose, he said!"  # too short to cut
