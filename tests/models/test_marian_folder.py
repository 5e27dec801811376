"""Validation of Hugging Face Marian folders: missing files, wrong model type, wrong pair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.errors import ModelInvalid
from service.models.marian import check_marian_folder
from tests.marian_factory import build_marian, copy_model


def _edit_json(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def en_es(tiny_marian: dict[str, Path], tmp_path: Path) -> Path:
    """A writable copy of the tiny en-es model, in a folder whose name gives no hint."""
    return copy_model(tiny_marian["en-es"], tmp_path / "model")


def _anonymous(folder: Path) -> Path:
    """Drop the pair hints of the tokenizer config and the model name."""
    _edit_json(folder / "tokenizer_config.json", source_lang=None, target_lang=None)
    _edit_json(folder / "config.json", _name_or_path=None)
    return folder


def test_hub_layout_passes_and_tells_its_pair(tiny_marian: dict[str, Path]) -> None:
    for pair, folder in tiny_marian.items():
        checked = check_marian_folder(folder)
        assert checked.pair == pair
        assert checked.weights == "pytorch_model.bin"
        assert "tokenizer_config.json" in checked.evidence


def test_safetensors_weights_pass(tmp_path: Path) -> None:
    folder = build_marian(tmp_path / "st", "es", "en", weights="safetensors")
    assert check_marian_folder(folder, "es-en").weights == "model.safetensors"


@pytest.mark.parametrize("name", ["vocab.json", "source.spm", "config.json"])
def test_missing_file_is_named(en_es: Path, name: str) -> None:
    (en_es / name).unlink()
    with pytest.raises(ModelInvalid, match=rf"missing {name}"):
        check_marian_folder(en_es, "en-es")


def test_missing_weights_are_named(en_es: Path) -> None:
    (en_es / "pytorch_model.bin").unlink()
    with pytest.raises(
        ModelInvalid, match=r"no weights \(pytorch_model.bin or model.safetensors\)"
    ):
        check_marian_folder(en_es, "en-es")


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelInvalid, match=r"is not a folder"):
        check_marian_folder(tmp_path / "nowhere", "en-es")


def test_other_model_type_is_refused(en_es: Path) -> None:
    _edit_json(en_es / "config.json", model_type="bert")
    with pytest.raises(ModelInvalid, match=r"not a MarianMT model .*bert"):
        check_marian_folder(en_es, "en-es")


def test_unreadable_config_is_refused(en_es: Path) -> None:
    (en_es / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelInvalid, match=r"config.json is not readable JSON"):
        check_marian_folder(en_es, "en-es")


def test_wrong_pair_from_tokenizer_config(en_es: Path) -> None:
    with pytest.raises(ModelInvalid, match=r"model for en-es \(tokenizer_config.json .*not es-en"):
        check_marian_folder(en_es, "es-en")


def test_wrong_pair_from_model_name(en_es: Path) -> None:
    _anonymous(en_es)
    _edit_json(en_es / "config.json", _name_or_path="/tmp/Helsinki-NLP/opus-mt-en-es")
    with pytest.raises(ModelInvalid, match=r"for en-es \(config.json _name_or_path"):
        check_marian_folder(en_es, "es-en")


def test_wrong_pair_from_folder_name(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    folder = _anonymous(copy_model(tiny_marian["en-es"], tmp_path / "opus-mt-en-es"))
    with pytest.raises(ModelInvalid, match=r"for en-es .*folder name"):
        check_marian_folder(folder, "es-en")


def test_wrong_pair_from_the_sentencepiece_models(en_es: Path) -> None:
    """No names at all: the English source.spm and Spanish target.spm still give it away."""
    _anonymous(en_es)
    assert check_marian_folder(en_es).pair == "en-es"
    with pytest.raises(ModelInvalid, match=r"for en-es .*source.spm and target.spm"):
        check_marian_folder(en_es, "es-en")


def test_other_languages_are_refused(en_es: Path) -> None:
    _edit_json(en_es / "tokenizer_config.json", source_lang="en", target_lang="de")
    with pytest.raises(ModelInvalid, match=r"translates en-de .*needs en-es or es-en"):
        check_marian_folder(en_es)


def test_three_letter_codes_are_understood(en_es: Path) -> None:
    _edit_json(en_es / "tokenizer_config.json", source_lang="eng", target_lang="spa")
    assert check_marian_folder(en_es).pair == "en-es"


def test_users_pair_is_taken_without_contrary_evidence(en_es: Path) -> None:
    _anonymous(en_es)
    (en_es / "target.spm").write_bytes((en_es / "source.spm").read_bytes())  # no language hint
    assert check_marian_folder(en_es, "es-en").pair == "es-en"
    with pytest.raises(ModelInvalid, match=r"cannot tell which language pair .*--pair"):
        check_marian_folder(en_es)


def test_vocab_with_gaps_is_refused(en_es: Path) -> None:
    vocab = json.loads((en_es / "vocab.json").read_text(encoding="utf-8"))
    vocab["<pad>"] += 5
    (en_es / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    with pytest.raises(ModelInvalid, match=r"token ids must be the integers 0\.\.\d+, no gaps"):
        check_marian_folder(en_es, "en-es")


def test_vocab_size_must_match_config(en_es: Path) -> None:
    _edit_json(en_es / "config.json", vocab_size=65001)
    with pytest.raises(ModelInvalid, match=r"vocab_size 65001 but vocab.json has"):
        check_marian_folder(en_es, "en-es")
