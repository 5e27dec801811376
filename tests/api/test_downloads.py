"""The store of translated files behind /download_file: tokens, expiry, clean-up."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from service.api import downloads
from service.api.downloads import DownloadStore
from service.errors import NotFound, StorageError


def _at(monkeypatch: pytest.MonkeyPatch, when: float) -> None:
    monkeypatch.setattr(downloads, "time", SimpleNamespace(time=lambda: when))


def test_put_and_get(tmp_path: Path) -> None:
    store = DownloadStore(tmp_path, ttl_s=60)
    token = store.put("a.es.txt", "text/plain; charset=utf-8", b"Hola")
    found = store.get(token)
    assert (found.name, found.media_type, found.data) == (
        "a.es.txt",
        "text/plain; charset=utf-8",
        b"Hola",
    )
    assert len(token) == 32 and token != store.put("a.es.txt", "text/plain", b"Hola")


def test_an_expired_file_is_never_served_even_before_it_is_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DownloadStore(tmp_path, ttl_s=60)
    token = store.put("a.txt", "text/plain", b"x")
    monkeypatch.setattr(store, "sweep", lambda: 0)
    _at(monkeypatch, time.time() + 61)
    with pytest.raises(NotFound, match="expired"):
        store.get(token)


def test_sweep_removes_expired_and_stale_incomplete_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DownloadStore(tmp_path, ttl_s=60)
    old = store.put("old.txt", "text/plain", b"x")
    incomplete = tmp_path / ("B" * 32)
    incomplete.mkdir()
    (incomplete / "data").write_bytes(b"half")
    young = tmp_path / ("C" * 32)
    young.mkdir()
    now = time.time() + 61  # the clock moves past the first file's expiry
    os.utime(incomplete, (now - 120, now - 120))  # left by a store that died long ago
    os.utime(young, (now, now))  # a store in progress right now
    _at(monkeypatch, now)
    new = DownloadStore(tmp_path, ttl_s=60).put("new.txt", "text/plain", b"y")  # sweeps first
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([new, young.name])
    with pytest.raises(NotFound):
        store.get(old)


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "A" * 31, "A" * 33, "A" * 31 + "/"])
def test_tokens_that_cannot_be_ours_are_not_found(tmp_path: Path, token: str) -> None:
    with pytest.raises(NotFound):
        DownloadStore(tmp_path, ttl_s=60).get(token)


def test_an_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StorageError, match="BRIEFS_DATA_DIR"):
        DownloadStore(blocker / "downloads", ttl_s=60).put("a.txt", "text/plain", b"x")


def test_a_token_cannot_reach_outside_the_store(tmp_path: Path) -> None:
    outside = DownloadStore(tmp_path / "elsewhere", ttl_s=60)
    token = outside.put("secret.txt", "text/plain", b"secret")
    store = DownloadStore(tmp_path / "downloads", ttl_s=60)
    store.root.mkdir()
    with pytest.raises(NotFound):
        store.get(f"../elsewhere/{token}")
