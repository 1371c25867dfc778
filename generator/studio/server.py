"""Serving the studio: the listening socket (bound by us, so a busy port is a clear message) and uvicorn.

`handbook serve` calls `listen` then `serve`. The socket is bound before uvicorn starts, so
port 0 (any free port) works and its number is known to the studio's Host check.
"""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable

import uvicorn

from generator.errors import InputError
from generator.studio.app import Studio
from generator.studio.asgi import create_app

GRACE_SECONDS = 2  # how long Ctrl-C waits for open requests (a PDF being laid out) before stopping


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port; InputError (no traceback) when the port is taken or the host unknown."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise InputError(f"cannot serve on --host {host}: {error.strerror}; "
                         "give an address of this computer, such as 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise InputError(f"port {port} on {host} is already in use (another studio?): "
                             "stop it, or choose another port with --port") from None
        raise InputError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class StudioServer(uvicorn.Server):
    """uvicorn, ending the studio's event streams as soon as it is asked to stop, and opening a browser."""

    def __init__(self, config: uvicorn.Config, studio: Studio, open_browser: bool = False,
                 started: Callable[[str], None] | None = None) -> None:
        super().__init__(config)
        self.studio = studio
        self.open_browser = open_browser
        self.on_started = started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            if self.on_started is not None:
                self.on_started(self.studio.url)
            if self.open_browser:
                webbrowser.open(self.studio.url)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.studio.changes.close()  # open pages' event streams end, so stopping does not wait on them
        await super().shutdown(sockets)


def serve(studio: Studio, sock: socket.socket, open_browser: bool = False,
          started: Callable[[str], None] | None = None) -> None:
    """Run the studio on `sock` until Ctrl-C (or SIGTERM)."""
    config = uvicorn.Config(create_app(studio), log_level="warning", access_log=False,
                            timeout_graceful_shutdown=GRACE_SECONDS, server_header=False,
                            proxy_headers=False, lifespan="on")
    StudioServer(config, studio, open_browser, started).run(sockets=[sock])
