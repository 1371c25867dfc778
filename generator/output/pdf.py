"""print.html to handbook.pdf with WeasyPrint, reading only files of the project.

WeasyPrint is imported here and only here: it costs about half a second, and
`validate`, `schema` and HTML-only builds should not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from generator.errors import BuildError
from generator.project import template_search_path

if TYPE_CHECKING:  # for annotations only: WeasyPrint ships no types, so mypy sees these as Any
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint warns on stderr about every CSS property it ignores; a clinician
# cannot act on those, so they are kept out of the build's output.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One FontConfiguration per process: shared by its documents (about 10% faster)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _fetcher(allowed_roots: Sequence[Path], base_dir: Path | None = None) -> URLFetcher:
    from weasyprint.urls import URLFetcher

    search = [d.resolve() for d in template_search_path(base_dir)] if base_dir else []
    roots = tuple(root.resolve() for root in allowed_roots) + tuple(search)

    # WeasyPrint ships no types: its URLFetcher is Any to mypy, which strict mode refuses as a base.
    class ProjectFilesOnly(URLFetcher):  # type: ignore[misc]
        """No network and no file outside the project: a handbook reads only its own assets."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise ValueError(f"blocked: {url} is not a file of the project")
            path = Path(unquote(parsed.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"blocked: {path} is outside the project")
            if not path.exists() and search and path.is_relative_to(search[0]):
                # An asset the project's templates lack comes from the bundled templates.
                for folder in search[1:]:
                    candidate = folder / path.relative_to(search[0])
                    if candidate.exists():
                        return super().fetch(candidate.as_uri(), headers)
            return super().fetch(url, headers)

    return ProjectFilesOnly(allowed_protocols={"file", "data"})


def write_pdf(print_html: str, base_dir: Path, allowed_roots: Sequence[Path]) -> bytes:
    """Lay out `print_html` (relative URLs resolve against `base_dir`) and return the PDF bytes."""
    import weasyprint

    try:
        document = weasyprint.HTML(
            string=print_html,
            base_url=base_dir.resolve().as_uri() + "/",
            url_fetcher=_fetcher(allowed_roots, base_dir),
        )
        pdf: bytes = document.write_pdf(font_config=_font_config(), uncompressed_pdf=False)
        return pdf
    except Exception as error:  # WeasyPrint raises many kinds; none may reach the user as a traceback
        raise BuildError(f"the PDF could not be laid out: {type(error).__name__}: {error}") from error
