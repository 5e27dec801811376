"""Per-request shortcuts at the edge give what the slower ways gave: the content type as
``email.message`` reads it, and request ids as unique as ``uuid4``'s."""

from __future__ import annotations

import os
import re
from email.message import Message

import pytest
from starlette.requests import Request

from service.api.edge import _Ids
from service.api.limits import media_type

CONTENT_TYPES = [
    "application/json",
    "Application/JSON; charset=utf-8",
    " application/json ;x=1",
    "APPLICATION/JSON;",
    'application/json;charset="utf-8"',
    "application/json\t",
    "application/problem+json",
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",
    'text/plain; a="b;c"',
    "text",
    "a/b/c",
    "  ;",
    ";application/json",
    "/",
    "a/",
    "application /json",
]


def _request(content_type: str | None) -> Request:
    headers = [] if content_type is None else [(b"content-type", content_type.encode())]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


@pytest.mark.parametrize("header", CONTENT_TYPES)
def test_media_type_reads_as_email_message_does(header: str) -> None:
    message = Message()
    message["content-type"] = header
    assert media_type(_request(header)) == message.get_content_type()


def test_no_content_type_is_none() -> None:
    assert media_type(_request(None)) is None
    assert media_type(_request("")) is None


def test_request_ids_are_unique_hex_and_differ_between_processes() -> None:
    ids = _Ids()
    many = [ids.next() for _ in range(10_000)]
    assert len(set(many)) == len(many)
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in many)
    other = _Ids()  # another process (or a forked child) draws another prefix
    assert other.next()[:20] != many[0][:20]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a fork must not repeat the parent's ids
        os.write(write, ids.next().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    os.close(write)
    assert child[:20] != many[0][:20] and child not in many
