"""Reading PO catalogues: broken headers are errors with file and line; interface translations stay text."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from babel.messages.catalog import Message
from helpers import REPO

from generator.errors import InputError
from generator.i18n.catalogs import read_catalog, ui_problem, ui_translations
from generator.language import Language
from generator.project import find_project

BODY = '\nmsgid "Contents"\nmsgstr "Índice"\n\nmsgid "One day"\nmsgid_plural "%(num)s days"\nmsgstr[0] "Un día"\nmsgstr[1] "%(num)s días"\n'


def po_file(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "messages.po"
    path.write_text('# A translator\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n' + header + BODY, encoding="utf-8")
    return path


BROKEN_HEADERS = {
    "an unknown charset": ('"Content-Type: text/plain; charset=nonsense\\n"', "unknown or unusable charset"),
    "a charset that is not ASCII-compatible": ('"Content-Type: text/plain; charset=UTF-16\\n"', "unusable charset"),
    "nplurals that is not a number": ('"Plural-Forms: nplurals=x; plural=(n != 1);\\n"', "nplurals is 'x'"),
    "a billion plural forms": ('"Plural-Forms: nplurals=1000000000; plural=(n != 1);\\n"', "from 1 to 6"),
    "xgettext's placeholder": ('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', "nplurals is 'INTEGER'"),
    "no plural forms": ('"Plural-Forms: nplurals=0; plural=0;\\n"', "from 1 to 6"),
    "an expression that does not parse": ('"Plural-Forms: nplurals=2; plural=(n;\\n"', "does not parse"),
    "Python in the expression": ('"Plural-Forms: nplurals=2; plural=__import__(1);\\n"', "does not parse"),
    "a division by zero": ('"Plural-Forms: nplurals=2; plural=n%0;\\n"', "fails for some numbers"),
    "a form past nplurals": ('"Plural-Forms: nplurals=2; plural=n;\\n"', "gives form"),
    "a field wrapped over two lines": ('"Plural-Forms: nplurals=2; "\n"plural=(n;\\n"', "does not parse"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_HEADERS))
def test_a_broken_header_is_an_input_error_naming_the_file_and_line(tmp_path: Path, case: str) -> None:
    header, expected = BROKEN_HEADERS[case]
    path = po_file(tmp_path, header)
    # In a fresh interpreter with a timeout and a memory cap: a billion plural forms must not hang.
    code = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            f"from pathlib import Path\nfrom generator.errors import InputError\n"
            f"from generator.i18n.catalogs import read_catalog\n"
            f"try:\n    read_catalog(Path({str(path)!r}))\nexcept InputError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"messages.po:5:" in result.stdout and expected in result.stdout, result.stdout


@pytest.mark.parametrize("header", ['"Content-Type: text/plain; charset=UTF-8\\n"',
                                   '"Plural-Forms: nplurals=2; "\n"plural=(n != 1);\\n"',
                                   '"Content-Type: text/plain; charset=CHARSET\\n"',
                                   '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : '
                                   'n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"'])
def test_good_headers_and_template_placeholders_are_read(tmp_path: Path, header: str) -> None:
    assert read_catalog(po_file(tmp_path, header)).get("Contents").string == "Índice"


def test_a_repeated_msgid_plural_is_left_out_not_a_traceback(tmp_path: Path) -> None:
    """Found by the property below: gettext could not read the .mo of a message with two msgid_plural."""
    path = po_file(tmp_path, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    path.write_text(path.read_text(encoding="utf-8").replace('msgid_plural "%(num)s days"\n',
                    'msgid_plural "%(num)s days"\nmsgid_plural "%(num)s days"\n'), encoding="utf-8")
    translations = ui_translations_of(path)
    assert translations.ngettext("One day", "%(num)s days", 3) == "%(num)s days"
    assert translations.gettext("Contents") == "Índice"


def ui_translations_of(path: Path) -> gettext.NullTranslations:
    from generator.i18n.catalogs import _translations

    stat = path.stat()
    return _translations(str(path), stat.st_mtime_ns, stat.st_size)


def test_garbage_is_an_input_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ascii\\n"\n\nmsgid "x"\nmsgstr "\xff\xfe"\n')
    with pytest.raises(InputError, match="messages.po"):
        read_catalog(path)


ATTACKS = [
    'Índice" rel="attachment" href="../../profiles/other.yaml',
    "Índice' rel='attachment",
    '<link rel="attachment" href="../other/profile.yaml">',
    '<a rel=attachment href="../../profiles/other.yaml">Índice</a>',
    "Índice &lt;b&gt;",
    "Índice `x`",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_interface_translation_cannot_add_markup_or_quotes(attack: str) -> None:
    assert ui_problem(Message("Contents", attack)) is not None
    assert ui_problem(Message("Contents", "Índice “de verdad”, l’index")) is None
    assert ui_problem(Message('Say "hi" to <strong>%(name)s</strong>', 'Di "hola" a <strong>%(name)s</strong>')) is None


PLACEHOLDER_CHANGES = {  # from the adversarial review of issue 12: '%(date)99999999s' hung every Spanish build
    "a huge width": ("Prepared on %(date)s.", "Fecha: %(date)99999999s."),
    "a small width": ("Prepared on %(date)s.", "Fecha: %(date)1001s."),
    "a precision": ("Prepared on %(date)s.", "Fecha: %(date).3s."),
    "a flag": ("Prepared on %(date)s.", "Fecha: %(date)-s."),
    "another conversion": ("Prepared on %(date)s.", "Fecha: %(date)r."),
    "a positional placeholder": ("Prepared on %(date)s.", "Fecha: %(date)s %s."),
    "a width in a plural form": (("%(num)s minute", "%(num)s minutes"), ("%(num)s minuto", "%(num)9999999s minutos")),
}


@pytest.mark.parametrize("case", sorted(PLACEHOLDER_CHANGES))
def test_an_interface_placeholder_must_be_written_as_in_its_source(case: str) -> None:
    source, translation = PLACEHOLDER_CHANGES[case]
    problem = ui_problem(Message(source, translation))
    assert problem is not None and "is not written as in the source" in problem, problem


def test_an_interface_placeholder_may_move() -> None:
    assert ui_problem(Message("%(a)s and %(b)s, 100%%", "%(b)s y %(a)s, 100 %%")) is None
    assert ui_problem(Message(("%(num)d day", "%(num)d days"), ("un día", "%(num)d días"))) is None


def test_a_huge_width_in_an_interface_translation_is_left_out_quickly(tmp_path: Path) -> None:
    path = po_file(tmp_path, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "On %(date)s."\nmsgstr "El %(date)99999999s."\n',
                    encoding="utf-8")
    code = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            f"from generator.i18n.catalogs import _translations\nimport os\n"
            f"s = os.stat({str(path)!r})\nt = _translations({str(path)!r}, s.st_mtime_ns, s.st_size)\n"
            f"shown = t.gettext('On %(date)s.') % {{'date': 'hoy'}}\n"
            f"print(shown if len(shown) < 100 else f'{{len(shown):,}} characters', t.gettext('Contents'))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "On hoy. Índice", result.stdout + result.stderr


def test_a_hostile_interface_translation_is_left_out_and_prints_as_its_source(tmp_path: Path) -> None:
    """The issue's attack: a quote in an interface string printed in an attribute (a drawing's
    alt text, a nav's aria-label) made the rest of the string live HTML in every PDF."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "templates", root / "templates")
    po = root / "templates/locale/es/LC_MESSAGES/messages.po"
    catalog = read_catalog(po)
    catalog.get("Front").string = 'Frente" rel="attachment" href="../../profiles/other.yaml'
    catalog.get("Back").string = "Espalda"
    from babel.messages.pofile import write_po

    with po.open("wb") as out:
        write_po(out, catalog)
    translations = ui_translations(find_project(root), Language.of("es"))
    assert isinstance(translations, gettext.NullTranslations)
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    html = env.from_string('<svg aria-label="{{ _("Front") }}"></svg><p>{{ _("Back") }}</p>').render()
    assert "attachment" not in html and 'aria-label="Front"' in html
    assert "Espalda" in html  # the good translations are kept


# ---------------------------------------------------------------- properties: mutated catalogues

import io  # noqa: E402
import itertools  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from babel.messages.pofile import write_po  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.content.library import load_library  # noqa: E402
from generator.i18n.catalogs import _translations, ui_state  # noqa: E402
from generator.i18n.translator import translate_module  # noqa: E402

MODULE = load_library(REPO / "content").module("pacing-basics")


def _small_po(path: Path, keep: object) -> bytes:
    catalog = read_catalog(path)
    for message in list(catalog):
        if message.id and not keep(message):
            catalog.delete(message.id, context=message.context)
    catalog.obsolete.clear()
    out = io.BytesIO()
    write_po(out, catalog, width=76)
    return out.getvalue()


CONTENT_PO = _small_po(REPO / "content/locale/es/LC_MESSAGES/content.po", lambda m: m.context == MODULE.id)
UI_PO = _small_po(REPO / "templates/locale/ar/LC_MESSAGES/messages.po",
                  lambda m: isinstance(m.id, tuple) or str(m.id) in ("Contents", "Front", "Chapters"))
PO_WORDS = [b'msgid ', b'msgstr ', b'msgctxt ', b'msgid_plural ', b'msgstr[0] ', b'msgstr[9] ', b'#, fuzzy\n', b'#~ ',
            b'#| msgid ', b'"', b'\\', b'\\n', b'\n', b'""\n', b'{{ x }}', b'{%', b'%(num)s', b'%', b'<a href="x">',
            b'[x](../p.yaml)', b'"Plural-Forms: nplurals=', b'; plural=', b'"Content-Type: text/plain; charset=',
            b'UTF-8', b'latin-1', b'utf-16', b'nonsense', b'1000000000', b'n%0', b'(n', b'n>1', b'\xff', b'\x00',
            b'\xc3\xa9', b'\xed\xa0\x80', b'x' * 20]


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate line"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(PO_WORDS) | st.binary(max_size=8))
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif action == "replace":
            data[at:at + draw(st.integers(1, 10))] = draw(st.sampled_from(PO_WORDS))
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            line = bytes(data[start:end if end >= 0 else len(data)])
            data[start:start] = line + b"\n"
    return bytes(data)


_FILES = itertools.count()
_FOLDER: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _po_folder() -> Iterator[None]:
    _FOLDER.append(Path(tempfile.mkdtemp(prefix="handbook-po-")))
    yield
    shutil.rmtree(_FOLDER.pop())


def _write(data: bytes) -> Path:
    path = _FOLDER[0] / f"{next(_FILES)}.po"  # a new file each time: the loaders cache by path, time and size
    path.write_bytes(data)
    return path


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(CONTENT_PO))
def test_a_mutated_content_catalogue_is_an_input_error_or_translates_cleanly(data: bytes) -> None:
    path = _write(data)
    try:
        catalog = read_catalog(path)
    except InputError:
        return
    finally:
        path.unlink()
    translated, status = translate_module(MODULE, catalog)
    assert (translated is None) == (not status.complete)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(UI_PO))
def test_a_mutated_interface_catalogue_is_an_input_error_or_gives_text(data: bytes) -> None:
    path = _write(data)
    try:
        catalog = read_catalog(path)
        for message in catalog:
            ui_state(message, catalog.num_plurals)
        stat = path.stat()
        translations = _translations(str(path), stat.st_mtime_ns, stat.st_size)
    except InputError:
        return
    finally:
        path.unlink()
    for n in (0, 1, 2, 5, 11, 100):
        assert isinstance(translations.ngettext("%(num)s day", "%(num)s days", n), str)
    for text in ("Contents", "Front", "Chapters"):
        shown = translations.gettext(text)
        assert not set(shown) & set("<>\"'&`")  # their sources have none of these
