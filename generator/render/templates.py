"""The Jinja environment for page templates (templates/): sandboxed, strict, escaped.

Page templates belong to the project (a clinic's branding), but whoever edits them must not
reach Python through them (`lipsum.__globals__` opened any file and listed profiles/ into every
handbook): Jinja's SandboxedEnvironment refuses attributes such as `__globals__`, at no cost
measured on a batch. Unlike content, they may use Jinja fully (includes, macros, the
environment's globals). They are strict (a typo in a name fails the build, as in cookiecutter)
and autoescape everything from the profile.
"""

from __future__ import annotations

import gettext
import os
import posixpath
import re
import stat
from collections.abc import Callable
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.content.services import NO_SERVICES
from generator.errors import Diagnostic, InputError, display_path
from generator.project import template_search_path


class _CompiledTemplates(jinja2.BytecodeCache):
    """Page templates compiled once per process, not once per handbook (issue 12).

    Each handbook gets its own environment (its translations, its local numbers), so none
    sees another's data; only the compiled code is shared, which Jinja keys by template
    name and file and checks against a hash of the source, so an edited template is
    compiled again. All page environments are configured alike, so their code is the same.
    The code objects themselves are kept (they are immutable; each environment runs them in
    its own namespace), not marshalled bytes: unmarshalling 24 templates took 3 ms a handbook.
    """

    def __init__(self) -> None:
        self._code: dict[str, CodeType] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(f"{bucket.key}:{bucket.checksum}")
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self._code[f"{bucket.key}:{bucket.checksum}"] = bucket.code


_COMPILED = _CompiledTemplates()


def file_signature(info: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is the one read before: a rewrite changes its modification time (in
    nanoseconds) or size, a replacement its inode."""
    return info.st_mtime_ns, info.st_size, info.st_ino, info.st_dev


class _RememberingLoader(jinja2.FileSystemLoader):
    """A template's source read once per process while its file stays the same.

    Each handbook has its own environment, and a fresh environment reads every template it
    renders: 24 files opened and read per handbook, a few percent of an HTML build in system
    calls. This loader looks a template up as FileSystemLoader does, but reads the file again
    only when its signature (`file_signature`) changed, so an edited template (the studio's live
    preview) is read again at once.
    """

    _sources: dict[str, tuple[tuple[int, int, int, int], str]] = {}  # file: (signature, text), per process

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            try:
                info = os.stat(filename)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                break
        else:
            return super().get_source(environment, template)  # not found: Jinja's own error
        signature = file_signature(info)
        known = self._sources.get(filename)
        if known is None or known[0] != signature:
            with open(filename, encoding=self.encoding) as source_file:
                known = (signature, source_file.read())
            self._sources[filename] = known

        def uptodate() -> bool:
            try:
                return file_signature(os.stat(filename)) == signature
            except OSError:
                return False

        return known[1], os.path.normpath(filename), uptodate


def page_environment(templates_dir: Path, translations: gettext.NullTranslations | None = None) -> jinja2.Environment:
    env = SandboxedEnvironment(
        loader=_RememberingLoader([str(d) for d in template_search_path(templates_dir)]),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # an environment serves one handbook: no stat of each template at each include
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The i18n extension adds this method to the environment at run time; jinja2's types lack it.
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    # The local emergency and crisis numbers (content.services.LocalServices): none until a
    # profile is bound (compose.bind_profile), so templates print neutral wording.
    env.globals["services"] = NO_SERVICES
    env.filters["css_content"] = css_content
    env.filters["bdi"] = isolated
    return env


def isolated(text: str) -> Markup:
    """A name from the profile in <bdi>, for a sentence: its direction stays its own (`|bdi`)."""
    return Markup("<bdi>{}</bdi>").format(text) if text else Markup("")


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_CSS_COUNTERS = frozenset({"page", "pages"})


def css_content(text: str) -> Markup:
    """An interface string as the value of a CSS `content` property, its %(page)s and
    %(pages)s turned into page counters ("Page " counter(page) " of " counter(pages)).

    Every character that could end the string or the style sheet is written as a CSS
    escape, so a translation stays text.
    """
    parts: list[str] = []
    for index, piece in enumerate(_PLACEHOLDER.split(str(text))):
        if index % 2:
            parts.append(f"counter({piece})" if piece in _CSS_COUNTERS else _css_string(f"%({piece})s"))
        elif piece:
            parts.append(_css_string(piece))
    return Markup(" ".join(parts) or '""')


def _css_string(text: str) -> str:
    safe = "".join(char if char.isalnum() or char in " .,:;!?()'-" else f"\\{ord(char):x} " for char in text)
    return f'"{safe}"'


def template_error(error: jinja2.TemplateError) -> InputError:
    """A mistake in a page or plan template, as file:line: message (never a traceback).

    Jinja rewrites tracebacks so template frames carry the template's file name and
    line; the innermost such frame is where the mistake is.
    """
    path, line = _template_frame(error) or (getattr(error, "filename", None), getattr(error, "lineno", None))
    where = display_path(path) if path else "a template"
    message = getattr(error, "message", None) or str(error)
    return InputError(f"template {where} failed",
                      [Diagnostic(where, line, None, "", message)])


def template_failure(error: Exception) -> InputError | None:
    """An error raised by a template's own expression (`{{ name + 1 }}`, `{{ 1/0 }}`), as file:line,
    or None when no template frame raised it (then it is handbook's bug, reported as such)."""
    found = _template_frame(error)
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    raised_in = trace.tb_frame.f_code.co_filename if trace is not None else ""
    if found is None or (raised_in.endswith(".py") and Path(raised_in).is_relative_to(_OUR_CODE)):
        return None  # raised in handbook's own code, even if a template called it: handbook's bug
    where = display_path(found[0])
    return InputError(f"template {where} failed",
                      [Diagnostic(where, found[1], None, "", f"{type(error).__name__}: {error}")])


_OUR_CODE = Path(__file__).resolve().parents[1]  # generator/


def _template_frame(error: BaseException) -> tuple[str, int] | None:
    """The innermost template frame (file, line) of `error`'s traceback, if any."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = (name, trace.tb_lineno)
        trace = trace.tb_next
    return found
