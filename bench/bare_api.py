"""The baseline of ``bench/serve_load.py --overhead``: a bare FastAPI route that parses the
same JSON as ``POST /v1/translate`` and returns a string, served by uvicorn exactly as
``briefs serve`` serves the API (``service.cli.serve.uvicorn_options``).

Run: ``python bench/bare_api.py PORT``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI
from pydantic import BaseModel


class Body(BaseModel):
    """The same fields ``/v1/translate`` reads."""

    text: str
    source: str = "auto"
    target: str


def create_app() -> FastAPI:
    """One route, ``POST /v1/translate``, answering the text back as a JSON string."""
    app = FastAPI()

    @app.post("/v1/translate")
    async def translate(body: Body) -> str:
        return body.text

    return app


def main() -> None:
    import uvicorn

    from service.cli.serve import uvicorn_options
    from service.config import get_settings

    uvicorn.run(
        create_app(), host="127.0.0.1", port=int(sys.argv[1]), **uvicorn_options(get_settings())
    )


if __name__ == "__main__":
    main()
