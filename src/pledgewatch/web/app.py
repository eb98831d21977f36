"""The web application: the JSON API (`api.py`) and the dashboard (`pages.py`) on one store.

Why these layers here, once for every route: article text is attacker-controlled, so every
response carries a strict Content-Security-Policy (no inline script, nothing from other
origins), request bodies are capped before they are read, and every error is JSON (API) with
one clear message. Reads are open; writes need the operator's bearer token.
"""
from __future__ import annotations

import hmac
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pledgewatch import __version__
from pledgewatch.settings import MAX_REQUEST_BYTES, TOKEN_ENV
from pledgewatch.store.records import Store

WEB = Path(__file__).parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response, and refuses bodies over MAX_REQUEST_BYTES
    (by Content-Length up front; a chunked body is counted before the application runs)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_REQUEST_BYTES) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(self.max_body, send)
            return
        if length is None and scope.get("method") in {"POST", "PUT", "PATCH"}:
            # A body without Content-Length (chunked) is read here, counted, and replayed:
            # the application never sees more than max_body bytes.
            messages, received = [], 0
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request":
                    break
                received += len(message.get("body", b""))
                if received > self.max_body:
                    await _too_large(self.max_body, send)
                    return
                if not message.get("more_body", False):
                    break
            replay, original = iter(messages), receive

            async def replayed() -> Message:
                buffered = next(replay, None)
                return buffered if buffered is not None else await original()

            receive = replayed

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = [(k, v) for k, v in message.get("headers", [])
                       if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                raw += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, secured_send)


async def _too_large(limit: int, send: Send) -> None:
    response = JSONResponse({"error": f"request body larger than {limit // 1_048_576} MB"},
                            status_code=413)
    await response({"type": "http"}, None, _with_headers(send))  # type: ignore[arg-type]


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": list(message.get("headers", [])) + [
                (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]}
        await send(message)
    return wrapped


def check_token(request: Request, supplied: str | None = None) -> None:
    """Raise 401 unless the request carries the operator's token (constant-time compare).

    `supplied` is a token from a form field (the dashboard's upload box); otherwise the
    `Authorization: Bearer ...` header is read. With no token configured, writes are off.
    """
    expected: str | None = request.app.state.token
    if not expected:
        raise HTTPException(403, "writes are disabled: start the server with --token or "
                                 f"${TOKEN_ENV} set")
    if supplied is None:
        header = request.headers.get("authorization", "")
        scheme, _, supplied = header.partition(" ")
        if scheme.lower() != "bearer":
            supplied = ""
    if not hmac.compare_digest(supplied.strip().encode(), expected.encode()):
        raise HTTPException(401, "a valid bearer token is required to write",
                            headers={"WWW-Authenticate": "Bearer"})


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    """The app on the store `db` names (see `resolve_url`); `token` (or $PLEDGEWATCH_TOKEN)
    enables writes."""
    from pledgewatch.web import api, pages

    store = Store.open(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="pledgewatch", version=__version__,
        description="Who commits what, and who refuses: the stance record of the coalition "
                    "of the willing, with every statement's evidence and source. Reads are "
                    "open; `POST /api/ingest` needs `Authorization: Bearer <token>`.",
        openapi_url="/api/openapi.json", docs_url="/api/docs", redoc_url=None)
    app.state.store = store
    app.state.token = token if token is not None else os.environ.get(TOKEN_ENV) or None

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if not request.url.path.startswith("/api/") and exc.status_code in (401, 403, 404):
            return pages.error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid request')}"},
                            status_code=422)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.add_middleware(SecurityHeaders)
    return app
