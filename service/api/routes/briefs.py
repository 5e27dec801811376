"""``POST /v1/briefs``: one article or a list -> parallel English/Spanish briefs."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import Body, Query
from fastapi.responses import Response
from pydantic import Field

from service.api.deps import EnginesDep, ServicesDep, SettingsDep
from service.api.routes import native_router
from service.api.schemas import ArticleIn, glossary_of
from service.briefs import Article, Brief
from service.engines import Engines
from service.limits import check_count, check_sizes
from service.render import BRIEF_TEMPLATE, render_brief
from service.text.headline import split_headline
from service.text.prompts import load_prompt

router = native_router("briefs")


def _build(engines: Engines, item: ArticleIn) -> Brief:
    text, title = item.text, item.title
    # The limit counts what was sent, before a headline line is taken out of it.
    check_sizes([text], engines.settings, what="article")
    if not (title and title.strip()):
        # No title given: the headline line, as `briefs brief` takes it from a .txt file.
        headline, rest = split_headline(text)
        if headline is not None and rest:
            text, title = rest, headline
    article = Article(
        text=text,
        title=title,
        language=item.language,
        glossary=glossary_of(item.glossary),
    )
    return engines.briefs.build(article, include_full_translation=item.include_full_translation)


@router.post("/briefs", summary="Brief one article or a list of articles")
def create_briefs(
    body: Annotated[ArticleIn | Annotated[list[ArticleIn], Field(min_length=1)], Body()],
    engines: EnginesDep,
    settings: SettingsDep,
    services: ServicesDep,
) -> Brief | list[Brief]:
    """Summarize each article in its language and translate the brief into the other."""
    items = body if isinstance(body, list) else [body]
    check_count(len(items), settings)  # each article's size: BriefBuilder.build checks it
    if not isinstance(body, list):
        return _build(engines, body)
    # The app's shared pool builds the articles side by side, so their sentences share
    # batches; map keeps the input order.
    pool = services.list_pool
    if pool is None:  # an app used without its lifespan
        return [_build(engines, item) for item in items]
    return list(pool.map(partial(_build, engines), items))


@router.post(
    "/briefs/markdown",
    summary="A brief as the Markdown document the CLI writes",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}}}},
)
def brief_markdown(
    brief: Brief,
    settings: SettingsDep,
    source: Annotated[str, Query(max_length=200, description="Named in the header.")] = "the page",
) -> Response:
    """Render a brief (as ``POST /v1/briefs`` returned it) with the CLI's ``brief.md`` template,
    so a download from the page and a file from ``briefs brief`` are one layout."""
    template = load_prompt(BRIEF_TEMPLATE, settings.prompts_dir)
    markdown = render_brief(template, brief, source)
    return Response(markdown, media_type="text/markdown; charset=utf-8")
