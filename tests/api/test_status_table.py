"""Each domain error kind gets its HTTP status in one table at the edge."""

from __future__ import annotations

import pytest

from service import errors
from service.api.errors import STATUS, MethodNotAvailable, UnsupportedMediaType, status_of
from service.text.prompts import TemplateError


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.EmptyInput("x"), 422),
        (errors.InputTooLarge("x"), 413),
        (errors.ModelInvalid("a folder given to import"), 422),
        (errors.ModelBroken("an installed model fails"), 503),
        (errors.StorageError("disk full"), 507),
        (errors.Busy("full"), 503),
        (errors.RateLimited("slow down"), 429),
        (errors.QuotaExceeded("spent"), 429),
        (errors.Unauthorized("x"), 401),
        (UnsupportedMediaType("x"), 415),
        (MethodNotAvailable("x"), 422),
        (TemplateError("x"), 500),
        (errors.BriefsError("x"), 400),
    ],
)
def test_each_kind_has_its_status(error: errors.BriefsError, status: int) -> None:
    assert status_of(error) == status


def test_every_domain_error_kind_is_in_the_table() -> None:
    kinds = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.BriefsError)
    ]
    missing = [k.__name__ for k in kinds if k not in STATUS and k.__bases__[0] not in STATUS]
    assert not missing
    assert not any(hasattr(kind, "status_code") for kind in kinds)  # HTTP lives at the edge
