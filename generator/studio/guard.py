"""What keeps the studio private: every state-changing request carries the session's token.

Another site's page can make a browser post to 127.0.0.1, but it cannot read the
token the studio put in its own forms, so it cannot make the studio change a file.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from generator.studio.app import Studio

TOKEN_FIELD = "token"  # the hidden field of every studio form
TOKEN_HEADER = "x-studio-token"  # the same token, sent by the studio's own scripts


async def checked_form(studio: Studio, request: Request) -> FormData:
    """The posted form, once its token (field or header) is the session's; otherwise 403."""
    form = await request.form()
    sent = form.get(TOKEN_FIELD) or request.headers.get(TOKEN_HEADER)
    if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), studio.token.encode()):
        raise HTTPException(403, "This form is out of date or did not come from the studio: reload the page.")
    return form
