"""Dashboard, live preview, print preview, live reload and translators' pages.

A profile is named in every URL by its file name without .yaml (profiles/ana-lopez.yaml:
/preview/ana-lopez), and found by looking that name up among the files of profiles/;
a preview's files are looked up among the files rendered in memory. No URL path is
ever turned into a path on disk.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from generator.errors import InputError, printable
from generator.language import Language
from generator.output.site import asset_files
from generator.project import read_within, template_search_path
from generator.studio.app import Studio
from generator.studio.live import event_stream
from generator.studio.workspace import Entry, Problem

LIVE_SCRIPT = "/studio-assets/live.js"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
         ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
         ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf"}
_HEAD_END = re.compile(r"</head>", re.I)

Handler = Callable[[Request], Awaitable[Response]]


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def studio_assets(studio: Studio) -> dict[str, Path]:
    """templates/studio/assets/ by name (the project's over the bundled): all /studio-assets/ serves."""
    found: dict[str, Path] = {}
    for folder in reversed(template_search_path(studio.project.templates_dir)):
        assets = folder / "studio" / "assets"
        if assets.is_dir():
            found.update({path.relative_to(assets).as_posix(): path for path in sorted(assets.rglob("*"))
                          if path.is_file() and path.suffix in TYPES})
    return found


def with_live_script(html: bytes, generation: int) -> bytes:
    """A preview page that reloads itself when a file it is made from changes (live.js, same origin)."""
    tag = f'<script src="{LIVE_SCRIPT}" data-generation="{generation}" defer></script>\n</head>'
    return _HEAD_END.sub(lambda _m: tag, html.decode("utf-8"), count=1).encode("utf-8")


def routes(studio: Studio) -> list[BaseRoute]:
    workspace = studio.workspace

    async def entries() -> list[Entry]:
        return await run_in_threadpool(workspace.entries)

    async def entry_of(request: Request) -> Entry:
        key = request.path_params["key"]
        found = await run_in_threadpool(workspace.entry, key)
        if found is None:
            raise HTTPException(404, studio.gettext("There is no profile named '%(name)s' in profiles/.",
                                                         name=printable(key[:80])))  # no raw ESC or U+202E
        return found

    def language_of(request: Request) -> str:
        tag = request.path_params["lang"]
        if tag not in workspace.languages():
            raise HTTPException(404, studio.gettext("The project has no translation into '%(language)s'.",
                                                     language=tag))
        return str(tag)

    async def dashboard(request: Request) -> Response:
        generation = studio.changes.generation
        found = await entries()
        library = await run_in_threadpool(workspace.library)
        return studio.render(request, "dashboard.html", entries=found, generation=generation,
                             library_problem=library if isinstance(library, Problem) else None)

    async def preview_page(request: Request) -> Response:
        entry = await entry_of(request)
        return studio.render(request, "preview.html", entry=entry, generation=studio.changes.generation,
                             frame=f"/preview/{entry.key}/", language=None)

    async def preview_slash(request: Request) -> Response:
        return RedirectResponse(f"/preview/{request.path_params['key']}/", status_code=307)

    async def preview_file(request: Request, language: str | None = None) -> Response:
        generation = studio.changes.generation
        entry = await entry_of(request)
        name = request.path_params.get("name") or "index.html"
        if name == "handbook.pdf":
            return await pdf(request, entry, language)
        files = await run_in_threadpool(workspace.preview, entry, language)
        if isinstance(files, Problem):
            return studio.render(request, "problems.html", entry=entry, problem=files, generation=generation)
        body = files.get(name)
        if body is None:
            raise HTTPException(404, studio.gettext("The handbook of '%(name)s' has no page '%(page)s'.",
                                                     name=entry.key, page=name))
        if name.endswith(".html"):
            body = with_live_script(body, generation)
        return Response(body, media_type=content_type(name))

    async def pdf(request: Request, entry: Entry, language: str | None) -> Response:
        result = await run_in_threadpool(workspace.preview, entry, language, None, "pdf")
        if isinstance(result, Problem):
            return studio.render(request, "problems.html", status_code=409, entry=entry, problem=result,
                                 generation=studio.changes.generation)
        return Response(result["handbook.pdf"], media_type="application/pdf",
                        headers={"content-disposition": f'inline; filename="{entry.key}.pdf"'})

    async def print_page(request: Request) -> Response:
        entry = await entry_of(request)
        return studio.render(request, "print.html", entry=entry, pdf=f"/preview/{entry.key}/handbook.pdf",
                             generation=studio.changes.generation)

    async def built_pdf(request: Request) -> Response:
        entry = await entry_of(request)
        if entry.built_pdf is None:
            raise HTTPException(404, studio.gettext("'%(name)s' has no built PDF yet: run `handbook build`.",
                                                     name=entry.key))
        folder = studio.project.output_dir / entry.key
        try:  # only a handbook folder of output/ itself, as `build` writes it: never a link out of it
            body = None if folder.is_symlink() else await run_in_threadpool(read_within, entry.built_pdf, [folder],
                                                                             "output/")
        except InputError:
            body = None
        if body is None:
            raise HTTPException(404, studio.gettext("'%(name)s' has no built PDF yet: run `handbook build`.",
                                                     name=entry.key))
        return Response(body, media_type="application/pdf",
                        headers={"content-disposition": f'inline; filename="{entry.key}.pdf"'})

    async def events(_request: Request) -> Response:
        return StreamingResponse(event_stream(studio.changes), media_type="text/event-stream",
                                 headers={"x-accel-buffering": "no"})

    async def studio_asset(request: Request) -> Response:
        path = studio_assets(studio).get(request.path_params["name"])
        if path is None:
            raise HTTPException(404, studio.gettext("No such studio file."))
        try:  # a link made since the studio started is checked as the start-up check would
            body = await run_in_threadpool(read_within, path, template_search_path(studio.project.templates_dir),
                                           "templates/")
        except InputError:
            raise HTTPException(404, studio.gettext("No such studio file.")) from None
        return Response(body, media_type=content_type(path.name))

    async def handbook_asset(request: Request) -> Response:
        name = f"assets/{request.path_params['name']}"
        try:
            body = (await run_in_threadpool(asset_files, studio.project.templates_dir)).get(name)
        except InputError:  # an asset linked out of templates/ since the studio started
            body = None
        if body is None:
            raise HTTPException(404, studio.gettext("No such handbook file."))
        return Response(body, media_type=content_type(name))

    async def languages_page(request: Request) -> Response:
        tags = await run_in_threadpool(workspace.languages)
        statuses = [(tag, await run_in_threadpool(workspace.status, tag)) for tag in tags]
        return studio.render(request, "translate.html", statuses=statuses, generation=studio.changes.generation,
                             names={tag: Language.of(tag).name for tag in tags})

    async def language_page(request: Request) -> Response:
        tag = language_of(request)
        generation = studio.changes.generation
        status = await run_in_threadpool(workspace.status, tag)
        found = await entries()
        return studio.render(request, "translate-language.html", tag=tag, name=Language.of(tag).name,
                             status=status, entries=[e for e in found if e.profile is not None],
                             generation=generation)

    async def translated_preview_page(request: Request) -> Response:
        tag = language_of(request)
        generation = studio.changes.generation
        entry = await entry_of(request)
        fallbacks = await run_in_threadpool(workspace.fallbacks, entry, tag)
        return studio.render(request, "preview.html", entry=entry, generation=generation, language=tag,
                             language_name=Language.of(tag).name, fallbacks=fallbacks,
                             frame=f"/translate/{tag}/preview/{entry.key}/")

    async def translated_file(request: Request) -> Response:
        return await preview_file(request, language_of(request))

    async def translated_slash(request: Request) -> Response:
        path = request.path_params
        return RedirectResponse(f"/translate/{path['lang']}/preview/{path['key']}/", status_code=307)

    return [
        Route("/", dashboard),
        Route("/preview/{key}", preview_page),
        Route("/preview/{key}/", preview_file),
        Route("/preview/{key}/{name:path}", preview_file),
        Route("/print/{key}", print_page),
        Route("/built/{key}/handbook.pdf", built_pdf),
        Route("/events", events),
        Route("/studio-assets/{name:path}", studio_asset),
        Route("/handbook-assets/{name:path}", handbook_asset),
        Route("/translate", languages_page),
        Route("/translate/{lang}", language_page),
        Route("/translate/{lang}/{key}", translated_preview_page),
        Route("/translate/{lang}/preview/{key}", translated_slash),
        Route("/translate/{lang}/preview/{key}/", translated_file),
        Route("/translate/{lang}/preview/{key}/{name:path}", translated_file),
    ]


def exception_handlers(studio: Studio) -> dict[int | type[Exception], Callable[[Request, Exception], Response]]:
    """A refusal or a missing page as a studio page that says what happened and leads back."""

    def error_page(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 500
        detail = error.detail if isinstance(error, HTTPException) else ""
        if detail == HTTPStatus(status).phrase or not detail:  # Starlette's own ("Not Found"): English only
            detail = (studio.gettext("The studio has no page at this address.") if status == 404
                      else studio.gettext("Something went wrong in the studio."))
        return studio.render(request, "error.html", status_code=status, status=status, detail=detail)

    return {HTTPException: error_page}
