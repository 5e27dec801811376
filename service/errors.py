"""Domain errors. Engines and the pipeline raise these; the API and the CLI map them.

Every error carries a message that says what was wrong and, where there is one, how to fix
it. The HTTP status lives here as a plain number so the API's single exception handler can
map any domain error without a table of its own.
"""

from __future__ import annotations


class BriefsError(Exception):
    """Base class: a problem the user can understand and usually fix."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InvalidInput(BriefsError):
    """The input is malformed: empty text, wrong type, unreadable file."""

    status_code = 422
    code = "invalid_input"


class EmptyInput(InvalidInput):
    code = "empty_input"


class InputTooLarge(BriefsError):
    status_code = 413
    code = "input_too_large"


class UnsupportedLanguage(BriefsError):
    status_code = 422
    code = "unsupported_language"


class UnsupportedPair(BriefsError):
    status_code = 422
    code = "unsupported_pair"


class ModelNotAvailable(BriefsError):
    """No installed model (or engine) can serve the request."""

    status_code = 503
    code = "model_not_available"


class ModelInvalid(BriefsError):
    """A model folder that is missing files, is not Marian, or is for the wrong pair."""

    status_code = 422
    code = "model_invalid"


class EngineUnavailable(BriefsError):
    """An engine's runtime is missing (package not installed, binary not on PATH)."""

    status_code = 503
    code = "engine_unavailable"


class NetworkUnavailable(BriefsError):
    status_code = 503
    code = "network_unavailable"


class Busy(BriefsError):
    """The work queue is full; the client should retry later."""

    status_code = 503
    code = "busy"

    def __init__(self, message: str, *, retry_after_s: int = 1, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after_s = retry_after_s


class Unauthorized(BriefsError):
    status_code = 401
    code = "unauthorized"


class Forbidden(BriefsError):
    status_code = 403
    code = "forbidden"
