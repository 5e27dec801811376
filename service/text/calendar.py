"""Month and weekday names in each language, lower case, in calendar order: one list for the
translation checks (a date kept) and the summary compression (a relative day cut)."""

from __future__ import annotations

from service.languages import Lang

MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": tuple(
        "january february march april may june july august september october november "
        "december".split()
    ),
    "es": tuple(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
        "diciembre".split()
    ),
}
WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "en": tuple("monday tuesday wednesday thursday friday saturday sunday".split()),
    "es": tuple("lunes martes miércoles jueves viernes sábado domingo".split()),
}
SETIEMBRE = "setiembre"  # Central American spelling of septiembre
