"""The CTranslate2 engine on tiny converted models: real translation, and the same output as
transformers when both decode greedily from the same weights."""

from __future__ import annotations

import dataclasses
import shutil
import threading
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import EngineUnavailable, ModelBroken, ModelNotAvailable, UnsupportedPair
from service.models.convert import convert_to_ct2
from service.models.store import InstalledModel, ModelStore
from service.translate.base import DecodeOptions
from service.translate.ctranslate2_engine import CTranslate2Translator
from service.translate.transformers_engine import TransformersTranslator

SENTENCES = {
    "en-es": [
        "Guatemala has committed to a significant escalation in deportation flights.",
        "Hello.",
        "These flights will carry Guatemalan nationals and migrants from other countries.",
        "The task force will patrol the border.",
    ],
    "es-en": [
        "El gobierno anunció hoy un nuevo plan para mejorar la seguridad en la frontera.",
        "Hola.",
        "Los migrantes esperan durante semanas una respuesta.",
    ],
}


@pytest.fixture
def settings(installed_models: Path) -> Settings:
    return Settings(models_dir=installed_models, max_decoding_length=16)


@pytest.mark.parametrize("pair", ["en-es", "es-en"])
def test_translates_both_directions(settings: Settings, pair: str) -> None:
    source, target = pair.split("-")
    engine = CTranslate2Translator(settings)
    texts = [*SENTENCES[pair], "   "]
    out = engine.translate(texts, source, target)  # type: ignore[arg-type]
    assert len(out) == len(texts)
    assert all(text.strip() for text in out[:-1]) and out[-1] == ""
    info = engine.info(source, target)  # type: ignore[arg-type]
    assert info.engine == "ctranslate2" and not info.low_quality
    assert info.model == f"opus-mt-{pair} (imported, ctranslate2 int8)"  # no host path


def test_limits_and_token_counts(settings: Settings) -> None:
    engine = CTranslate2Translator(settings)
    assert engine.max_input_tokens("en", "es") == 512
    counts = engine.count_tokens(["Hello.", "The task force will patrol the border."], "en", "es")
    assert counts[0] < counts[1] and counts[0] >= 2  # pieces plus the closing </s>


def test_over_long_input_is_cut_to_the_model_limit(
    settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = CTranslate2Translator(settings)
    long_text = " ".join(["migration"] * 700)
    assert engine.count_tokens([long_text], "en", "es")[0] > 512
    loaded = engine._load("en", "es")
    seen: list[list[str]] = []

    class Spy:
        """Records the token rows the engine hands to CTranslate2, then translates them."""

        def translate_batch(self, tokens: list[list[str]], **kwargs: object) -> object:
            seen.extend(tokens)
            return loaded.model.translate_batch(tokens, **kwargs)

    engine._loaded["en-es"] = dataclasses.replace(loaded, model=Spy())  # type: ignore[arg-type]
    assert engine.translate([long_text], "en", "es")[0]
    assert seen, "translate_batch was not called"
    assert all(len(row) <= 512 and row[-1] == "</s>" for row in seen), [len(r) for r in seen]
    assert max(len(row) for row in seen) == 512  # cut at the limit, not dropped
    assert "longer than the specified maximum" not in capfd.readouterr().err


def test_model_defaults_decode_with_beam_search(installed_models: Path) -> None:
    """generation_config.json says num_beams 4; a short limit keeps the test fast."""
    engine = CTranslate2Translator(Settings(models_dir=installed_models))
    out = engine.translate(["Hello."], "en", "es", DecodeOptions(max_length=8))
    assert len(out) == 1 and out[0]


def _float32_ct2(store: ModelStore, pair: str, tmp_path: Path) -> InstalledModel:
    model = store.find_translation(pair)
    assert model is not None
    out = tmp_path / f"ct2-float32-{pair}"
    convert_to_ct2(model.hf_dir, out, quantization="float32")
    return dataclasses.replace(model, ct2_dir=out)


@pytest.mark.parametrize(
    "greedy",
    [
        DecodeOptions(beam_size=1, max_length=4),
        DecodeOptions(beam_size=1, max_length=24),
        DecodeOptions(beam_size=1, max_length=24, no_repeat_ngram_size=2),
        DecodeOptions(beam_size=1, max_length=24, repetition_penalty=1.5),
    ],
    ids=["short", "long", "no-repeat", "penalty"],
)
def test_same_output_as_transformers_when_greedy(
    installed_models: Path, tmp_path: Path, greedy: DecodeOptions
) -> None:
    """Unquantized weights, beam 1: both engines must produce the very same strings, also
    when decoding stops at the length limit (where transformers forces </s>), and with
    each decoding option applied the same way."""
    store = ModelStore(installed_models)
    unquantized = {pair: _float32_ct2(store, pair, tmp_path) for pair in SENTENCES}
    settings = Settings(models_dir=installed_models, compute_type="float32", engine_batch_size=2)
    ct2 = CTranslate2Translator(settings, unquantized.get)
    hf = TransformersTranslator(settings)
    for pair, texts in SENTENCES.items():
        source, target = pair.split("-")
        ct2_out = ct2.translate(texts, source, target, greedy)  # type: ignore[arg-type]
        hf_out = hf.translate(texts, source, target, greedy)  # type: ignore[arg-type]
        assert ct2_out == hf_out
        assert all(ct2_out)


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    engine = CTranslate2Translator(Settings(models_dir=tmp_path))
    with pytest.raises(ModelNotAvailable, match="briefs models pull en-es"):
        engine.translate(["Hello."], "en", "es")
    with pytest.raises(ModelNotAvailable, match="briefs models import PATH --pair es-en"):
        engine.info("es", "en")


def test_model_without_conversion_is_not_used(installed_models: Path) -> None:
    store = ModelStore(installed_models)

    def hf_only(pair: str) -> InstalledModel | None:
        model = store.find_translation(pair)
        return model and dataclasses.replace(model, ct2_dir=None)

    engine = CTranslate2Translator(Settings(models_dir=installed_models), hf_only)
    with pytest.raises(ModelNotAvailable, match="no en-es ctranslate2 model"):
        engine.info("en", "es")


def test_unsupported_pair(settings: Settings) -> None:
    with pytest.raises(UnsupportedPair, match="en-en"):
        CTranslate2Translator(settings).translate(["Hello."], "en", "en")


def test_cuda_without_a_gpu_is_a_clear_error(
    installed_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ctranslate2.get_cuda_device_count", lambda: 0)
    engine = CTranslate2Translator(Settings(models_dir=installed_models, device="cuda"))
    assert engine.compute_type == "int8_float16"
    with pytest.raises(EngineUnavailable, match="no CUDA device"):
        engine.translate(["Hello."], "en", "es")


def test_unsupported_compute_type_is_a_clear_error(installed_models: Path) -> None:
    engine = CTranslate2Translator(Settings(models_dir=installed_models, compute_type="int4"))
    with pytest.raises(EngineUnavailable, match="cannot compute in int4 on cpu"):
        engine.translate(["Hello."], "en", "es")


def test_loads_once_under_concurrent_use(settings: Settings) -> None:
    loads: list[str] = []

    class Counting(CTranslate2Translator):
        def _load_model(self, model: InstalledModel):  # type: ignore[no-untyped-def]
            loads.append(model.name)
            return super()._load_model(model)

    engine = Counting(settings)
    expected = CTranslate2Translator(settings).translate(SENTENCES["en-es"], "en", "es")
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(engine.translate(SENTENCES["en-es"], "en", "es"))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert loads == ["en-es"]
    assert results == [expected] * 6


def _break(models: Path, damage: str) -> None:
    folder = models / "translation" / "en-es"
    if damage == "corrupt-ct2-weights":
        (folder / "ct2-int8" / "model.bin").write_bytes(b"not a model")
    elif damage == "corrupt-hf-weights":
        (folder / "hf" / "pytorch_model.bin").write_bytes(b"not a model")
    else:
        (folder / "hf" / "vocab.json").unlink()


@pytest.mark.parametrize(
    ("engine_class", "damage"),
    [
        (CTranslate2Translator, "corrupt-ct2-weights"),
        (CTranslate2Translator, "no-vocab"),
        (TransformersTranslator, "corrupt-hf-weights"),
        (TransformersTranslator, "no-vocab"),
    ],
)
def test_a_broken_model_folder_is_model_invalid(
    tiny_models_dir: Path, tmp_path: Path, engine_class: type, damage: str
) -> None:
    models = tmp_path / "broken-models"
    shutil.copytree(tiny_models_dir, models)  # the shared tiny models stay intact
    _break(models, damage)
    engine = engine_class(Settings(models_dir=models))
    with pytest.raises(ModelBroken) as caught:
        engine.translate(["Hello."], "en", "es")
    message = str(caught.value)
    assert "cannot load the en-es" in message and str(models / "translation" / "en-es") in message
    assert "briefs models pull" in message
    assert engine.translate(["Hola."], "es", "en")[0]  # the other direction still works


class _RecordingModel:
    """A loaded CTranslate2 model that records the options of each call."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.calls: list[dict[str, object]] = []

    def translate_batch(self, tokens: list[list[str]], **options: object) -> object:
        self.calls.append(options)
        return self.model.translate_batch(tokens, **options)  # type: ignore[attr-defined]


def test_auto_engine_batches_hold_sentences_times_beam(installed_models: Path) -> None:
    """With the auto batch size, a beam-4 call is cut into batches of 8 sentences (32
    hypotheses) and a greedy one into batches of 32."""
    engine = CTranslate2Translator(Settings(models_dir=installed_models))
    engine.translate(["Hello."], "en", "es")
    loaded = engine._load("en", "es")
    recording = _RecordingModel(loaded.model)
    loaded.model = recording  # type: ignore[assignment]
    engine.translate(["Hello."], "en", "es", DecodeOptions(beam_size=4))
    engine.translate(["Hello."], "en", "es", DecodeOptions(beam_size=1))
    assert [call["max_batch_size"] for call in recording.calls] == [8, 32]


class _CountingModel:
    """A loaded CTranslate2 model that counts the batches decoding at once (every direction
    shares the counter) and holds each a moment, so concurrent batches overlap."""

    def __init__(self, model: object, shared: dict[str, int], lock: threading.Lock) -> None:
        self.model, self.shared, self.lock = model, shared, lock

    def translate_batch(self, tokens: list[list[str]], **options: object) -> object:
        with self.lock:
            self.shared["now"] += 1
            self.shared["most"] = max(self.shared["most"], self.shared["now"])
        try:
            threading.Event().wait(0.05)
            return self.model.translate_batch(tokens, **options)  # type: ignore[attr-defined]
        finally:
            with self.lock:
                self.shared["now"] -= 1


def test_batches_at_once_stay_within_the_workers_across_directions(
    installed_models: Path,
) -> None:
    """Both directions busy, from several callers: never more batches decode at once than
    the engine has workers (each direction's model has that many of its own), and a call of
    several batches does use them all."""
    settings = Settings(models_dir=installed_models, inter_threads=2, engine_batch_size=1)
    engine = CTranslate2Translator(settings)
    shared, lock = {"now": 0, "most": 0}, threading.Lock()
    for source, target in (("en", "es"), ("es", "en")):
        engine.translate(["Hola."], source, target)  # type: ignore[arg-type]
        loaded = engine._load(source, target)  # type: ignore[arg-type]
        loaded.model = _CountingModel(loaded.model, shared, lock)  # type: ignore[assignment]
    engine.translate(["One.", "Two.", "Three.", "Four."], "en", "es")
    assert shared["most"] == 2  # one call of four batches: both workers

    def one(i: int) -> None:
        source, target = ("en", "es") if i % 2 else ("es", "en")
        engine.translate([f"Sentence {i}."], source, target)  # type: ignore[arg-type]

    shared["most"] = 0
    callers = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert shared["most"] == 2


def _landed(started: object) -> None:
    for _ in range(10_000):
        if started.done():  # type: ignore[attr-defined]
            return
        threading.Event().wait(0.001)
    raise AssertionError("the started batch never finished")


def test_a_started_batch_gives_what_translate_gives_and_holds_its_decoders(
    installed_models: Path,
) -> None:
    settings = Settings(models_dir=installed_models, inter_threads=2, engine_batch_size=2)
    engine = CTranslate2Translator(settings)
    first, *rest = SENTENCES["en-es"]
    texts = [first, "  ", *rest]
    expected = engine.translate(texts, "en", "es")  # loads the model
    assert engine.start_size("en", "es", None) == 4  # two free decoders, batches of two
    started = engine.start(texts, "en", "es")
    assert started is not None
    assert engine.start_size("en", "es", None) == 0  # four sentences: both decoders held
    assert engine.start(["One more."], "en", "es") is None  # nothing waits for a decoder
    _landed(started)
    assert engine.start_size("en", "es", None) == 4
    assert started.result() == expected  # the blank one blank, in the callers' order


def test_nothing_starts_from_a_loop_before_its_model_is_loaded(settings: Settings) -> None:
    engine = CTranslate2Translator(settings)
    assert engine.start_size("es", "en", None) is None
    assert engine.start(["Hola."], "es", "en") is None
    engine.translate(["Hola."], "es", "en")
    decoders = settings.engine_threads()[0]
    assert engine.start_size("es", "en", None) == decoders * settings.engine_batch(4)


def test_awaiting_callers_through_the_batcher_get_the_engine_s_translations(
    settings: Settings,
) -> None:
    import asyncio

    from service.translate.batching import BatchingTranslator

    engine = CTranslate2Translator(settings)
    texts = SENTENCES["en-es"]
    expected = engine.translate(texts, "en", "es")
    starts: list[int] = []
    start = engine.start

    def counted(texts: list[str], *args: object) -> object:
        starts.append(len(texts))
        return start(texts, *args)  # type: ignore[arg-type]

    engine.start = counted  # type: ignore[method-assign,assignment]
    batcher = BatchingTranslator(engine, settings)

    async def callers() -> list[list[str]]:
        return list(
            await asyncio.gather(*(batcher.translate_async([t], "en", "es") for t in texts))
        )

    try:
        assert asyncio.run(callers()) == [[text] for text in expected]
        assert sum(starts) == len(texts)  # every sentence started from the loop
        decoders = settings.engine_threads()[0]
        assert engine.start_size("en", "es", None) == decoders * settings.engine_batch(4)
    finally:
        batcher.close()


def test_a_thread_waiting_for_a_decoder_gets_it_before_any_start() -> None:
    from service.translate.ctranslate2_engine import _Decoders

    decoders = _Decoders(1)
    assert decoders.try_acquire(1)
    waiter = threading.Thread(target=decoders.acquire)
    waiter.start()
    while not decoders.waiting:
        threading.Event().wait(0.001)
    decoders.release()
    assert decoders.available() == 0 and not decoders.try_acquire(1)  # it is the thread's
    waiter.join(timeout=5)
    assert decoders.free == 0 and decoders.waiting == 0
    decoders.release()
    assert decoders.available() == 1 and decoders.try_acquire(1)
