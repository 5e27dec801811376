"""LibreTranslate's file routes: ``POST /translate_file`` and ``GET /download_file/{token}``.

A multipart upload (``file``, ``source``, ``target``, ``api_key``) of a text, Markdown, HTML
or Word (.docx) file is translated by ``service.translate.files.translate_file`` (what
``briefs translate`` runs) and kept for ``BRIEFS_FILE_TTL_S`` seconds; the answer is
LibreTranslate's ``{"translatedFileUrl": ".../download_file/<token>"}``. The download keeps
the file's name with the target language (``report.docx`` -> ``report.es.docx``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.auth import check_key
from service.api.deps import EnginesDep, KeysDep, SettingsDep
from service.api.downloads import DOWNLOADS_DIR, DownloadStore
from service.api.errors import UnsupportedMediaType
from service.api.limits import media_type
from service.api.lt_request import (
    LT_ERRORS,
    api_key,
    check_header_key,
    source_and_target,
    validated,
)
from service.config import Settings
from service.errors import UnsupportedFormat
from service.languages import LANGUAGES, Lang
from service.limits import check_sizes, docx_xml_limit
from service.translate.files import (
    MEDIA_TYPES,
    TRANSLATABLE_SUFFIXES,
    SourceFile,
    kind_of,
    translate_file,
)

router = APIRouter(tags=["libretranslate"])

_LANGUAGE_TAG = re.compile(r"\.(" + "|".join(LANGUAGES) + r")$", re.IGNORECASE)


class LTTranslateFileIn(BaseModel):
    """LibreTranslate's /translate_file form fields besides the file."""

    source: str = "auto"
    target: str
    api_key: str | None = None


class LTTranslateFileOut(BaseModel):
    translatedFileUrl: str  # LibreTranslate's field name


def download_store(settings: Settings) -> DownloadStore:
    """Where translated files wait for their download."""
    return DownloadStore(settings.data_dir / DOWNLOADS_DIR, settings.file_ttl_s)


_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "target"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The file: " + ", ".join(TRANSLATABLE_SUFFIXES),
                        },
                        "source": {"type": "string", "default": "auto", "example": "en"},
                        "target": {"type": "string", "example": "es"},
                        "api_key": {"type": "string"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/translate_file",
    summary="Translate a file (LibreTranslate-compatible)",
    openapi_extra=_UPLOAD_DOC,
    responses=LT_ERRORS,
)
async def lt_translate_file(
    request: Request, engines: EnginesDep, settings: SettingsDep, keys: KeysDep
) -> LTTranslateFileOut:
    """LibreTranslate's ``/translate_file``: ``{"translatedFileUrl": ...}``."""
    check_header_key(request, keys)
    if media_type(request) != "multipart/form-data":
        raise UnsupportedMediaType(
            f"the body is {media_type(request) or 'not declared'}; /translate_file reads "
            "multipart/form-data",
            hint="upload the file as the form field `file`",
        )
    async with request.form(max_files=1) as form:  # the file is read before the form closes
        params = {key: value for key, value in form.items() if isinstance(value, str)}
        check_key(keys, api_key(params, request))
        body = validated(LTTranslateFileIn, params)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise RequestValidationError(
                [{"loc": ("body", "file"), "msg": "Field required: upload the file as `file`",
                  "type": "missing"}]
            )  # fmt: skip
        filename = _base_name(upload.filename)
        data = await upload.read()
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in TRANSLATABLE_SUFFIXES:
        raise UnsupportedFormat(
            f"{filename}: {suffix or 'a file without a suffix'} is not a supported file format",
            hint="send one of " + ", ".join(TRANSLATABLE_SUFFIXES),
        )
    source, target = source_and_target(body.source, body.target)
    kind = kind_of(PurePosixPath(filename))
    file = await run_in_threadpool(SourceFile.load, filename, data, kind, docx_xml_limit(settings))
    check_sizes([file.prose()], settings, what=f"file {filename}")
    done = await run_in_threadpool(
        partial(translate_file, engines.translator, file, source=source, target=target)
    )
    store = download_store(settings)
    token = await run_in_threadpool(
        store.put, translated_name(filename, target), MEDIA_TYPES[suffix], done.data
    )
    url = request.url_for("lt_download_file", token=token)
    return LTTranslateFileOut(translatedFileUrl=str(url))


@router.get(
    "/download_file/{token}",
    summary="Download a translated file (LibreTranslate-compatible)",
    responses={404: {"description": "No file under this link: it expired or never existed"}},
    response_class=Response,
)
async def lt_download_file(token: str, settings: SettingsDep) -> Response:
    """A file translated by ``/translate_file``, while its link lasts."""
    found = await run_in_threadpool(download_store(settings).get, token)
    return Response(
        found.data,
        media_type=found.media_type,
        headers={
            "Content-Disposition": _attachment(found.name),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def translated_name(name: str, target: Lang) -> str:
    """``report.docx`` -> ``report.es.docx``; ``story.en.txt`` -> ``story.es.txt``."""
    path = PurePosixPath(name)
    stem = _LANGUAGE_TAG.sub("", path.stem) or path.stem
    return f"{stem}.{target}{path.suffix}"


def _base_name(name: str) -> str:
    """The upload's own name: no folders, no control characters or quotes."""
    base = re.split(r"[\\/]", name)[-1]
    clean = "".join(
        ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '"'
    ).strip()
    return clean.lstrip(".") or "file"


def _attachment(name: str) -> str:
    """A Content-Disposition that names the file (RFC 6266, UTF-8 names too)."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
