"""The API's routes, one module per route (or group of LibreTranslate routes)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, cast, get_type_hints

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

from service.api.limits import require_json
from service.api.schemas import problem_responses


class JsonRoute(APIRoute):
    """A route whose body must be JSON: 415 before FastAPI reads the body (a route class
    rather than a router dependency, which FastAPI would solve on every request).

    A route that takes only its body model (and the ``Request``) and answers a ``Response``
    has its body parsed and validated in one pass (``model_validate_json``) and its endpoint
    called directly. FastAPI's handler decodes the JSON to Python objects, validates those,
    and solves the body as a parameter: a one-sentence ``/v1/translate`` took 12% more of the
    event loop's time that way. A body that fails goes to FastAPI's handler, which reads it
    again and answers its usual error, so errors stay FastAPI's.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        fast = self._direct_call()

        async def json_only(request: Request) -> Response:
            require_json(request)
            # With no Content-Type FastAPI does not decode the body: its handler answers.
            if fast is not None and "content-type" in request.headers:
                model, call = fast
                try:
                    body = model.model_validate_json(await request.body())
                except ValidationError:
                    return await handler(request)
                return await call(body, request)
            return await handler(request)

        return json_only

    def _direct_call(
        self,
    ) -> tuple[type[BaseModel], Callable[[Any, Request], Awaitable[Response]]] | None:
        """The body model and a call of the endpoint with it, when the route qualifies."""
        dependant = self.dependant
        params = (
            dependant.path_params
            + dependant.query_params
            + dependant.header_params
            + dependant.cookie_params
        )
        special = (
            dependant.response_param_name,
            dependant.background_tasks_param_name,
            dependant.websocket_param_name,
            dependant.security_scopes_param_name,
        )
        if params or dependant.dependencies or any(special) or len(dependant.body_params) != 1:
            return None
        model = dependant.body_params[0].field_info.annotation
        try:
            answers = get_type_hints(self.endpoint).get("return")
        except (NameError, TypeError):  # an annotation only a type checker can read
            return None
        if not (
            inspect.iscoroutinefunction(self.endpoint)
            and isinstance(model, type)
            and issubclass(model, BaseModel)
            and isinstance(answers, type)
            and issubclass(answers, Response)
        ):
            return None
        endpoint, body_name = self.endpoint, dependant.body_params[0].name
        request_name = dependant.request_param_name

        def call(body: Any, request: Request) -> Awaitable[Response]:
            kwargs = {body_name: body}
            if request_name:
                kwargs[request_name] = request
            return cast(Awaitable[Response], endpoint(**kwargs))

        return model, call


def native_router(tag: str) -> APIRouter:
    """A ``/v1`` router for POST routes: JSON bodies, and an API key when keys are set (every
    POST route under ``/v1/`` is checked by ``edge.KeyGate`` before its body is read)."""
    return APIRouter(
        prefix="/v1",
        tags=[tag],
        route_class=JsonRoute,
        responses=problem_responses(400, 401, 403, 408, 413, 415, 422, 429, 503),
    )
