"""Bytes -> text for every reader: strict UTF-8, one readable error for anything else."""

from __future__ import annotations

from service.errors import InvalidInput


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 (a BOM is dropped); undecodable bytes raise InvalidInput."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise InvalidInput(
            f"not UTF-8 text: undecodable byte 0x{bad:02x} at offset {exc.start}",
            hint="save the file as UTF-8",
        ) from None
