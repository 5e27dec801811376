from __future__ import annotations

from pathlib import Path

import pytest

from service.config import SettingsError, get_settings


def test_defaults_work_out_of_the_box() -> None:
    settings = get_settings()
    assert settings.engine == "auto"
    assert settings.api_keys == []


def test_reads_prefixed_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFS_MODELS_DIR", str(tmp_path / "m"))
    monkeypatch.setenv("BRIEFS_API_KEYS", "alpha, beta,")
    monkeypatch.setenv("BRIEFS_BATCH_SIZE", "8")
    settings = get_settings()
    assert settings.models_dir == tmp_path / "m"
    assert settings.api_keys == ["alpha", "beta"]
    assert settings.engine_batch_size == 8


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFS_BATCH_SIZE", "zero")
    with pytest.raises(SettingsError, match="BRIEFS_BATCH_SIZE"):
        get_settings()


@pytest.mark.parametrize(
    ("cores", "device", "expected"),
    [(2, "cpu", (2, 1)), (16, "cpu", (2, 8)), (1, "cpu", (1, 1)), (16, "cuda", (1, 16))],
)
def test_auto_engine_threads_fit_the_machine(
    monkeypatch: pytest.MonkeyPatch, cores: int, device: str, expected: tuple[int, int]
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    monkeypatch.setenv("BRIEFS_DEVICE", device)
    assert get_settings().engine_threads() == expected


def test_explicit_engine_threads_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFS_INTER_THREADS", "3")
    monkeypatch.setenv("BRIEFS_INTRA_THREADS", "5")
    assert get_settings().engine_threads() == (3, 5)


@pytest.mark.parametrize(
    ("size", "device", "beam", "expected"),
    [(0, "cpu", 1, 32), (0, "cpu", 4, 8), (0, "cpu", 64, 1), (0, "cuda", 4, 32), (5, "cpu", 4, 5)],
)
def test_auto_engine_batch_holds_the_hypotheses_on_a_cpu(
    size: int, device: str, beam: int, expected: int
) -> None:
    """Auto (0) bounds sentences x beam on a CPU (memory follows hypotheses); a GPU keeps
    its sentences; a value set is used as it is."""
    from service.config import Settings

    settings = Settings(engine_batch_size=size, device=device)  # type: ignore[arg-type]
    assert settings.engine_batch(beam) == expected
