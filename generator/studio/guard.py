"""What keeps the studio private: who may ask it anything, and what every answer says to the browser.

- Host: a request must name the address served (127.0.0.1:PORT or localhost:PORT on loopback),
  so a web page whose DNS name is rebound to 127.0.0.1 cannot read the studio (DNS rebinding).
- Origin: a request that changes anything (POST, PUT, PATCH, DELETE) must come from the studio's
  own pages: its Origin (or, without one, its Referer) is the served origin.
- Token: every state-changing form carries the session's token (`checked_form`). Another site's
  page can make a browser post to 127.0.0.1, but it cannot read the token the studio put in its
  own forms, so it cannot make the studio change a file.
- Paths: a URL path with `..`, a backslash or NUL, encoded or not, is refused before any route sees it.
- Every response: a content-security policy allowing only the studio itself, no sniffing, no
  referrer, and no caching (pages hold health information).
"""

from __future__ import annotations

import secrets
from urllib.parse import unquote, urlsplit

from starlette.datastructures import FormData, Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator.studio.app import Studio

TOKEN_FIELD = "token"  # the hidden field of every studio form
TOKEN_HEADER = "x-studio-token"  # the same token, sent by the studio's own scripts
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
                           "object-src 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: under no-referrer a browser posts a form with `Origin: null`,
    # which the origin check must refuse; a studio URL still never reaches another site.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "x-frame-options": "SAMEORIGIN",  # frame-ancestors for browsers that predate it
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",  # no other site may embed a page, picture or PDF of it
}


async def checked_form(studio: Studio, request: Request) -> FormData:
    """The posted form, once its token (field or header) is the session's; otherwise 403."""
    form = await request.form()
    sent = form.get(TOKEN_FIELD) or request.headers.get(TOKEN_HEADER)
    if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), studio.token.encode()):
        raise HTTPException(403, studio.gettext("This form is out of date or did not come from the studio: reload the "
                                                "page."))
    return form


def host_allowed(studio: Studio, headers: Headers) -> bool:
    host = headers.get("host")
    return host is not None and host.lower() in studio.allowed_hosts


def origin_allowed(studio: Studio, headers: Headers) -> bool:
    """Whether a state-changing request comes from the studio's own pages (Origin, else Referer)."""
    origin = headers.get("origin")
    if origin is None:
        referer = headers.get("referer")
        if referer is None:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin.lower() in studio.origins


def unsafe_path(scope: Scope) -> bool:
    """A path that tries to leave where it points: `..` segments, backslashes, NUL, encoded or not."""
    raw = scope.get("raw_path") or scope.get("path", "").encode()
    texts = [scope.get("path", ""), raw.decode("latin-1")]
    texts.append(unquote(texts[-1]))  # %252e%252e: encoded twice
    for text in texts:
        decoded = unquote(text)
        if "\\" in decoded or "\0" in decoded or "//" in decoded:
            return True
        if any(segment in ("..", ".") for segment in decoded.split("/")):
            return True
    return False


class StudioGuard:
    """ASGI middleware: refuses foreign hosts, foreign origins and unsafe paths; adds security headers."""

    def __init__(self, app: ASGIApp, studio: Studio) -> None:
        self.app = app
        self.studio = studio

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        headers = Headers(scope=scope)
        refusal = None
        if not host_allowed(self.studio, headers):
            refusal = PlainTextResponse(self.studio.gettext("This address is not the studio's: open it as %(address)s",
                                                            address=self.studio.url), status_code=403)
        elif scope["type"] == "websocket" or scope.get("method", "GET") in STATE_CHANGING:
            if not origin_allowed(self.studio, headers):
                refusal = PlainTextResponse(
                    self.studio.gettext("A change to the studio can only come from the studio's own pages."),
                    status_code=403)
        if refusal is None and unsafe_path(scope):
            refusal = PlainTextResponse(self.studio.gettext("Not found"), status_code=404)
        if refusal is not None:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await refusal(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)
