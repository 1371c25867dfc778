"""print.html to handbook.pdf with WeasyPrint, reading only files of the project.

WeasyPrint is imported here and only here: it costs about half a second, and
`validate`, `schema` and HTML-only builds should not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from generator.errors import BuildError
from generator.output import fonts, tagging
from generator.output.folder import worker_started
from generator.project import template_search_path

if TYPE_CHECKING:  # for annotations only: WeasyPrint ships no types, so mypy sees these as Any
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse


class _LayoutNotes(logging.Handler):
    """WeasyPrint's warnings (a CSS property it ignores, an image without a description),
    kept per document instead of printed: a clinician cannot act on them, so a build shows
    them only with --verbose, and the tests fail on any (they concern our own templates)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.notes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(record.getMessage())


_weasyprint_log = logging.getLogger("weasyprint")
_weasyprint_log.propagate = False  # never to stderr by Python's last-resort handler
_weasyprint_log.setLevel(logging.WARNING)


@dataclass(frozen=True)
class LaidOut:
    """A handbook's PDF and what WeasyPrint said while laying it out."""

    pdf: bytes
    notes: tuple[str, ...] = ()


def _font_config() -> FontConfiguration:
    """One FontConfiguration per process: shared by its documents (about 10% faster); its
    temporary font files in a folder that goes when the process does (output/fonts.py)."""
    return fonts.font_configuration()


def prepare_worker() -> None:
    """A worker of a PDF batch (workers.pool initializer): WeasyPrint and its fonts are loaded
    before the first task, so the children the worker forks its later tasks into share them,
    and none makes a temporary folder of its own (a child leaves without the worker's cleanup)."""
    worker_started()
    fonts.load_weasyprint()
    _font_config()


def _fetcher(allowed_roots: Sequence[Path], base_dir: Path | None = None) -> URLFetcher:
    from weasyprint.urls import URLFetcher

    search = [d.resolve() for d in template_search_path(base_dir)] if base_dir else []
    roots = tuple(root.resolve() for root in allowed_roots) + tuple(search)

    # WeasyPrint ships no types: its URLFetcher is Any to mypy, which strict mode refuses as a base.
    class ProjectFilesOnly(URLFetcher):  # type: ignore[misc]
        """No network, and only the project's templates and content: a handbook reads its own
        assets and fonts, never a profile (another patient's) or a built handbook."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise ValueError(f"blocked: {url} is not a file of the project")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"blocked: {path} is outside the project's templates and content")
            if not path.exists() and search and path.is_relative_to(search[0]):
                # An asset the project's templates lack comes from the bundled templates.
                for folder in search[1:]:
                    candidate = folder / path.relative_to(search[0])
                    if candidate.exists():
                        return super().fetch(candidate.as_uri(), headers)
            return super().fetch(url, headers)

    return ProjectFilesOnly(allowed_protocols={"file", "data"})


def native_libraries() -> str:
    """The native libraries that shape a PDF's bytes besides the Python ones: Pango's version, and
    whether HarfBuzz subsets the fonts (else fontTools does, with other bytes). A cluster's workers
    must have the same (output/cache.py's `project_files`)."""
    fonts.load_weasyprint()
    from weasyprint.text import ffi

    subsetter = "harfbuzz" if ffi.harfbuzz_subset is not None else "fonttools"
    return f"pango={ffi.pango.pango_version()};subsetter={subsetter}"


def write_pdf(print_html: str, base_dir: Path, allowed_roots: Sequence[Path]) -> LaidOut:
    """Lay out `print_html` (relative URLs resolve against `base_dir`) as a tagged PDF/UA-1."""
    fonts.load_weasyprint()  # its libraries' temporary files go into our own folder
    import weasyprint

    collected = _LayoutNotes()
    _weasyprint_log.addHandler(collected)
    try:
        document = weasyprint.HTML(
            string=print_html,
            base_url=base_dir.resolve().as_uri() + "/",
            url_fetcher=_fetcher(allowed_roots, base_dir),
        )
        tagging.install()
        fonts.install()  # the same bytes every time, with or without HarfBuzz's subsetter
        pdf: bytes = document.write_pdf(font_config=_font_config(), uncompressed_pdf=False, pdf_variant="pdf/ua-1")
        return LaidOut(pdf, tuple(dict.fromkeys(collected.notes)))
    except Exception as error:  # WeasyPrint raises many kinds; none may reach the user as a traceback
        raise BuildError(f"the PDF could not be laid out: {type(error).__name__}: {error}") from error
    finally:
        _weasyprint_log.removeHandler(collected)
