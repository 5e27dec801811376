"""Domain errors. Engines and the pipeline raise these; the API and the CLI map them.

Every error carries a message that says what was wrong and, where there is one, how to fix
it, and a stable ``code``. Nothing here knows about HTTP: ``service.api.errors`` maps each
kind to a status in one table, and the CLI prints the message as one line.
"""

from __future__ import annotations


class BriefsError(Exception):
    """Base class: a problem the user can understand and usually fix."""

    code: str = "bad_request"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvalidInput(BriefsError):
    """The input is malformed: empty text, wrong type, unreadable file."""

    code = "invalid_input"


class EmptyInput(InvalidInput):
    code = "empty_input"


class UnsupportedFormat(BriefsError):
    """A file of a type this server does not translate."""

    code = "unsupported_format"


class NotFound(BriefsError):
    """What the request names is not there (a download link that expired)."""

    code = "not_found"


class InputTooLarge(BriefsError):
    code = "input_too_large"


class UnsupportedLanguage(BriefsError):
    code = "unsupported_language"


class UnsupportedPair(BriefsError):
    code = "unsupported_pair"


class ModelNotAvailable(BriefsError):
    """No installed model (or engine) can serve the request."""

    code = "model_not_available"


class ModelInvalid(BriefsError):
    """A folder given to install: missing files, not MarianMT, or for the wrong pair."""

    code = "model_invalid"


class ModelBroken(BriefsError):
    """An installed model that fails to load or to work: the server's models need fixing."""

    code = "model_broken"


class EngineUnavailable(BriefsError):
    """An engine's runtime is missing (package not installed, binary not on PATH)."""

    code = "engine_unavailable"


class StorageError(BriefsError):
    """The disk is full or not writable where Briefs must write (the model store)."""

    code = "storage_error"


class NetworkUnavailable(BriefsError):
    code = "network_unavailable"


class Busy(BriefsError):
    """The work queue is full; the client should retry later."""

    code = "busy"

    def __init__(self, message: str, *, retry_after_s: int = 1, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s


class RateLimited(Busy):
    """The client sent more requests than its rate limit allows; retry after the window."""

    code = "rate_limited"


class QuotaExceeded(RateLimited):
    """The key's quota of characters for this window is spent."""

    code = "quota_exceeded"


class Unauthorized(BriefsError):
    code = "unauthorized"


class Forbidden(BriefsError):
    code = "forbidden"
