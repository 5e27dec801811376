"""README's settings table is generated from ``Settings`` and must match it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import Field

from service.config import Settings

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "settings_table.py"


@pytest.fixture
def generator() -> ModuleType:
    """scripts/settings_table.py, imported as a module."""
    spec = importlib.util.spec_from_file_location("settings_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_is_up_to_date(generator: ModuleType) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert generator.readme_with_table(readme, generator.settings_table()) == readme, (
        "README.md's settings table is out of date: run python scripts/settings_table.py --write"
    )


def test_every_setting_has_a_row_with_its_meaning(generator: ModuleType) -> None:
    rows = generator.settings_table().splitlines()[2:]
    assert len(rows) == len(Settings.model_fields)
    for row, (name, field) in zip(rows, Settings.model_fields.items(), strict=True):
        assert field.description, f"BRIEFS_{name.upper()} needs Field(description=...)"
        assert row.startswith(f"| `BRIEFS_{name.upper()}` |")
        assert row.rstrip(" |").endswith(field.description.rstrip())


def test_rows_show_defaults_and_accepted_values(generator: ModuleType) -> None:
    rows = {row.split(" | ")[0][2:]: row for row in generator.settings_table().splitlines()}
    assert (
        "| `auto` | `auto`, `ctranslate2`, `transformers`, `apertium` |" in rows["`BRIEFS_ENGINE`"]
    )
    assert "| `8000` | integer >= 1 and <= 65535 |" in rows["`BRIEFS_PORT`"]
    assert "| unset | integer >= 1, or unset |" in rows["`BRIEFS_BEAM_SIZE`"]
    assert "| `~/.cache/briefs/models` | folder |" in rows["`BRIEFS_MODELS_DIR`"]
    assert "| `service/prompts/` inside the package |" in rows["`BRIEFS_PROMPTS_DIR`"]


def test_check_fails_when_a_setting_is_added_and_write_fixes_it(
    generator: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text((REPO / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(generator, "README", readme)
    assert generator.main(["--check"]) == 0

    class Grown(Settings):
        greeting: str = Field(default="hola", description="A setting added later.")

    monkeypatch.setattr(generator, "Settings", Grown)
    assert generator.main(["--check"]) == 1
    assert generator.main(["--write"]) == 0
    assert "| `BRIEFS_GREETING` | `hola` | text | A setting added later. |" in readme.read_text()
    assert generator.main(["--check"]) == 0


def test_script_runs_as_a_command() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
