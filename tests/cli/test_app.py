from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from service.cli import app


def test_help_lists_the_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Parallel English/Spanish" in result.output


def test_runs_as_a_real_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "service", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("briefs ")


def test_choices_match_the_settings_types() -> None:
    from typing import get_args

    from service.cli.options import EngineChoice, MethodChoice
    from service.config import EngineName, SummaryMethod

    assert get_args(EngineChoice) == get_args(EngineName)
    assert get_args(MethodChoice) == get_args(SummaryMethod)
