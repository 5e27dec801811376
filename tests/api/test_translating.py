"""Where a request's texts are prepared (``service.api.translating``): small ones on the event
loop, awaiting the batcher; large ones, and alternatives, on the route thread pool. Both
answer the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from service.api import translating
from service.api.translating import LOOP_CHARS, on_loop
from service.translate.glossary import Glossary, Term
from tests.api.conftest import MakeClient


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The requests whose texts went to the thread pool (their first text's start)."""
    seen: list[str] = []
    threadpool = translating.run_in_threadpool

    async def spy(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(func.args[1][0][:10])  # type: ignore[attr-defined]
        return await threadpool(func, *args, **kwargs)

    monkeypatch.setattr(translating, "run_in_threadpool", spy)
    return seen


def test_what_is_prepared_on_the_loop() -> None:
    assert on_loop(["x" * LOOP_CHARS], None, 0)
    assert not on_loop(["x" * LOOP_CHARS, "y"], None, 0)
    assert not on_loop(["short"], None, 2)  # alternatives: a second, blocking engine call
    glossary = Glossary((Term(en="a" * LOOP_CHARS, es="b"),))
    assert not on_loop(["short"], glossary, 0)  # the request's terms are matched too


def test_small_texts_skip_the_thread_pool_and_large_ones_take_it(
    make_client: MakeClient, hops: list[str]
) -> None:
    client = make_client()
    small = "The volcano erupted. It was loud."
    large = " ".join([small] * (LOOP_CHARS // len(small) + 1))
    answers = {}
    for text in (small, large):
        response = client.post("/v1/translate", json={"text": text, "source": "en", "target": "es"})
        assert response.status_code == 200, response.text
        answers[text] = response.json()["translation"]
    assert hops == [large[:10]]
    assert answers[small] == "THE VOLCANO ERUPTED. ~es IT WAS LOUD. ~es"
    assert answers[large] == " ".join([answers[small]] * (LOOP_CHARS // len(small) + 1))


def test_libretranslate_takes_the_same_ways(make_client: MakeClient, hops: list[str]) -> None:
    client = make_client()
    plain = client.post("/translate", json={"q": "Hello there.", "source": "en", "target": "es"})
    assert plain.status_code == 200 and hops == []
    assert plain.json() == {"translatedText": "HELLO THERE. ~es"}
    html = client.post(
        "/translate",
        json={"q": "<p>Hello <b>there</b>.</p>", "source": "en", "target": "es", "format": "html"},
    )
    assert html.status_code == 200 and hops == []
    assert "<b>" in html.json()["translatedText"]


def test_an_engine_error_on_the_loop_is_the_same_answer(make_client: MakeClient) -> None:
    """A failure awaited on the loop reaches the error handlers as on a thread."""
    from service.errors import InvalidInput
    from tests.api.fakes import TagEngine

    client = make_client(TagEngine(fail_with=InvalidInput("cannot translate this")))
    response = client.post("/v1/translate", json={"text": "Hello there.", "target": "es"})
    assert response.status_code == 422, response.text
    assert "cannot translate this" in response.json()["detail"]
