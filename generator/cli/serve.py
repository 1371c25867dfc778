"""`handbook serve`: the studio (generator/studio/), run on this computer until Ctrl-C.

A click command the main group registers; errors are HandbookErrors, which the main group
turns into a message and an exit code.
"""

from __future__ import annotations

import signal
from types import FrameType

import click

from generator.errors import display_path
from generator.project import find_project


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on. Only this computer can reach 127.0.0.1; anything else lets the "
                   "network see profiles, which hold health information.")
@click.option("--open", "open_browser", is_flag=True, help="Open the studio in the web browser once it runs.")
@click.option("--language", "ui_language", default="en", show_default=True, metavar="LANG",
              help="The language of the studio's own words (buttons, headings), from the interface catalogues.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, open_browser: bool, ui_language: str) -> None:
    """Run the studio: profiles, live previews and translations in the web browser, on this computer.

    The dashboard lists every profile with its problems and whether its
    handbook is built; a preview follows the files as they change. Stop it
    with Ctrl-C. See docs/studio.md.

    \b
    Example:
      handbook serve --open
    """
    from generator.language import language_from_user
    from generator.studio.app import Studio, is_loopback
    from generator.studio.server import listen
    from generator.studio.server import serve as run_server

    project = find_project((ctx.find_root().obj or {}).get("project_root"))
    language = language_from_user(ui_language).tag
    sock = listen(host, port)
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, not on this computer only: anyone who can reach it sees the "
                   "profiles, which hold health information. Use the default --host 127.0.0.1 unless you must.",
                   err=True)
    studio = Studio(project, host=host, port=sock.getsockname()[1], ui_language=language)

    def started(url: str) -> None:
        click.echo(f"The studio runs at {url} (project {display_path(project.root)}). Stop it with Ctrl-C.")

    # uvicorn stops on SIGTERM as on Ctrl-C, then raises the signal again: with the default handler
    # the process died there, before its temporary files were removed and this line was said.
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        run_server(studio, sock, open_browser, started)
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        sock.close()
        signal.signal(signal.SIGTERM, previous)
    click.echo("The studio has stopped.")


class _Stopped(BaseException):
    """SIGTERM (a service manager, `kill`): the studio stops as it does on Ctrl-C. Not an
    Exception, so nothing on the way takes it for an error of its own."""


def _stopped(_signum: int, _frame: FrameType | None) -> None:
    raise _Stopped
