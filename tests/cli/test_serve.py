"""`briefs serve`: uvicorn through the app factory string, settings from the environment."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from service.api.app import create_app
from service.cli import app
from service.cli.serve import APP_FACTORY


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    return calls


def test_settings_from_the_environment(
    uvicorn_calls: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFS_PORT", "8123")
    monkeypatch.setenv("BRIEFS_WORKERS", "3")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    ((target, options),) = uvicorn_calls
    assert target == APP_FACTORY and options["factory"] is True
    assert (options["host"], options["port"], options["workers"]) == ("127.0.0.1", 8123, 3)


def test_options_override_the_environment(
    uvicorn_calls: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFS_PORT", "8123")
    result = CliRunner().invoke(
        app, ["serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    options = uvicorn_calls[0][1]
    assert (options["host"], options["port"], options["workers"]) == ("0.0.0.0", 9000, 2)


def test_a_bad_setting_is_one_line_and_exit_1(
    uvicorn_calls: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFS_MAX_BATCH_SIZE", "zero")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1 and not uvicorn_calls
    assert result.output.strip().count("\n") == 0
    assert "BRIEFS_MAX_BATCH_SIZE" in result.output


def test_the_factory_string_builds_the_app() -> None:
    module, name = APP_FACTORY.split(":")
    assert module == create_app.__module__ and name == create_app.__name__
