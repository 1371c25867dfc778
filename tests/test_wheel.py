"""The built wheel on its own: installed into a fresh virtual environment, it builds handbooks anywhere.

One wheel is built (from a copy of the sources, offline) and installed into one new virtual
environment that cannot see this checkout: the environment has no system site-packages, and the
packages handbook depends on are reached through a .pth file naming the running interpreter's
site-packages folders. Python adds a folder named in a .pth file to sys.path without running the
.pth files inside it, so the editable install's import hook for this checkout never loads. Then,
in an empty folder, `handbook new kim` and `handbook build` run the environment's own command.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import REPO, TODAY
from pdfutil import pdf_text
from pypdf import PdfReader

from generator.build import BuildOptions, build
from generator.project import find_project

# What the wheel is built from: pyproject.toml names README.md (readme) and a licence file in templates/.
SOURCES = ("pyproject.toml", "README.md", "generator", "content", "templates")
NOT_SHIPPED = ("__pycache__", "*.pyc", "*.mo", ".*", "*~")  # no .mo: builds read the .po files


def _run(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, command))} exited {result.returncode}:\n" \
                                   f"{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built once from a copy of the sources (the checkout is left alone: no build/)."""
    version = metadata.version("setuptools")
    if int(version.split(".")[0]) < 77:
        pytest.fail(f"building the wheel offline needs setuptools>=77 (found {version}): pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    wheelhouse = root / "wheelhouse"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", "-w", str(wheelhouse), str(source)])
    [built] = wheelhouse.glob("handbook-*.whl")
    return built


@pytest.fixture(scope="module")
def env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh virtual environment with the wheel installed; the environment variables to run it with."""
    home = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(home)
    python = home / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip())
    # The dependencies (and pip) come from the running interpreter's site-packages, read as plain folders.
    hosts = [*site.getsitepackages(), sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]
    if site.ENABLE_USER_SITE:
        hosts.append(site.getusersitepackages())
    folders = [folder for folder in dict.fromkeys(hosts) if Path(folder).is_dir()]
    (purelib / "_handbook_test_dependencies.pth").write_text("\n".join(folders) + "\n", encoding="utf-8")
    variables = {k: v for k, v in os.environ.items()
                 if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    variables.update(PYTHONNOUSERSITE="1", VIRTUAL_ENV=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1",
                     PIP_ROOT_USER_ACTION="ignore", PATH=f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    # --ignore-installed: the checkout's editable install is visible to pip here; leave it be.
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--ignore-installed",
          str(wheel)], env=variables)
    return variables


def handbook(env: dict[str, str], cwd: Path, *args: str) -> str:
    """The environment's own `handbook` command, run in `cwd`."""
    return _run([str(Path(env["VIRTUAL_ENV"]) / "bin" / "handbook"), *args], env=env, cwd=cwd)


@pytest.fixture(scope="module")
def anywhere(env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An empty folder where `handbook new kim && handbook build` ran; then a Spanish profile, HTML only."""
    root = tmp_path_factory.mktemp("anywhere")
    handbook(env, root, "new", "kim")
    said = handbook(env, root, "build")
    shutil.copy2(REPO / "profiles" / "ana-lopez.yaml", root / "profiles" / "ana-lopez.yaml")
    handbook(env, root, "build", "profiles/ana-lopez.yaml", "--format", "html", "--today", TODAY.isoformat())
    return root, said


def _shipped(folder: Path) -> set[str]:
    """The files of `folder` that belong in the wheel, relative to it."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")
            if path.is_file() and not any(fnmatch(part, pattern) for part in path.relative_to(folder).parts
                                          for pattern in NOT_SHIPPED)}


def test_the_wheel_holds_the_code_and_every_default_file_and_nothing_else(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    code = {f"generator/{name}" for name in _shipped(REPO / "generator")}
    assert code <= names, f"files of generator/ missing from the wheel (a new subpackage goes in " \
                          f"[tool.setuptools] packages): {sorted(code - names)}"
    for folder in ("content", "templates"):
        defaults = {f"generator/_bundled/{folder}/{name}" for name in _shipped(REPO / folder)}
        assert defaults <= names, f"{folder}/ files missing from the wheel (add their suffix to " \
                                  f"[tool.setuptools.package-data]): {sorted(defaults - names)}"
    assert "generator/_bundled/templates/assets/fonts/OFL-AtkinsonHyperlegible.txt" in names
    assert any(n.endswith(".woff2") for n in names)
    assert "generator/_bundled/templates/locale/es/LC_MESSAGES/messages.po" in names
    assert "generator/_bundled/content/locale/es/LC_MESSAGES/content.po" in names
    assert "generator/_bundled/content/topics.yaml" in names
    strays = sorted(n for n in names if not n.startswith(("generator/", "handbook-")))
    assert not strays, f"the wheel holds files outside the package: {strays}"  # tests/, profiles/, docs/ ...
    assert not [n for n in names if n.endswith((".mo", ".pyc")) or "/." in n]


def test_the_environment_runs_the_wheel_not_the_checkout(env: dict[str, str], tmp_path: Path) -> None:
    probe = ("import importlib.metadata as m, json, os, sys, generator.project as p\n"
             "print(json.dumps({'code': p.__file__, 'defaults': str(p.BUNDLED_ROOT), 'path': sys.path,\n"
             "  'homes': [e for e in sys.path if os.path.isdir(os.path.join(e or '.', 'generator'))],\n"
             "  'finders': [repr(f) for f in sys.meta_path],\n"
             "  'dist': str(m.distribution('handbook').locate_file('handbook'))}))")
    found = json.loads(_run([str(Path(env["VIRTUAL_ENV"]) / "bin" / "python"), "-c", probe], env=env, cwd=tmp_path))
    home = Path(env["VIRTUAL_ENV"]).resolve()
    assert Path(found["code"]).resolve().is_relative_to(home)
    assert Path(found["defaults"]).resolve() == Path(found["code"]).resolve().parent / "_bundled"
    assert Path(found["dist"]).resolve().is_relative_to(home)
    # Only the environment's own site-packages holds a `generator`; the checkout is not on the path,
    # and the editable install's import hook (which would find modules missing from the wheel) is not loaded.
    assert [(tmp_path / entry).resolve() for entry in found["homes"]] == [Path(found["code"]).resolve().parent.parent]
    assert REPO not in [(tmp_path / entry).resolve() for entry in found["path"]]  # "" is the folder it ran in
    assert not [finder for finder in found["finders"] if "editable" in finder.lower()]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}  # not the inputs digest


def _checkout_build(profile: Path, out: Path) -> Path:
    report = build(find_project(REPO), [profile], BuildOptions(output_dir=out, formats=frozenset({"html"}),
                                                                today=TODAY))
    assert report.exit_code == 0, [o.error for o in report.failed]
    return out / profile.stem


def test_new_and_build_in_an_empty_folder_make_a_complete_english_handbook(
        anywhere: tuple[Path, str], tmp_path: Path) -> None:
    root, said = anywhere
    assert "built kim" in said and "handbook.pdf" in said
    assert sorted(p.name for p in root.iterdir()) == ["output", "profiles"]  # nothing else written
    built = root / "output" / "kim"
    # Every page, stylesheet and font that the checkout would write for the same profile.
    expected = set(_files(_checkout_build(root / "profiles" / "kim.yaml", tmp_path / "checkout")))
    assert set(_files(built)) == expected | {"handbook.pdf"}
    assert {"index.html", "print.html", "assets/fonts/OFL-AtkinsonHyperlegible.txt"} <= expected
    assert len([name for name in expected if name.endswith(".html") and "/" not in name]) > 10  # chapters
    index = (built / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in index and "Kim" in index
    text = pdf_text(built / "handbook.pdf")
    assert "Kim" in text and "Contents" in text
    embedded = set()
    for page in PdfReader(built / "handbook.pdf").pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = part.get("/FontDescriptor")
                if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(font.get("/BaseFont")))
    assert any("Atkinson-Hyperlegible" in name for name in embedded), embedded


def test_a_spanish_profile_builds_in_spanish_exactly_as_from_the_checkout(
        anywhere: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = anywhere
    built = _files(root / "output" / "ana-lopez")
    index = built["index.html"].decode("utf-8")
    assert '<html lang="es"' in index
    with open(REPO / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po", "rb") as po:
        contents = read_po(po).get("Contents").string
    assert contents and contents != "Contents" and f">{contents}<" in index
    expected = _files(_checkout_build(REPO / "profiles" / "ana-lopez.yaml", tmp_path / "checkout"))
    assert set(built) == set(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


def test_an_unchanged_handbook_is_not_built_again(env: dict[str, str], anywhere: tuple[Path, str]) -> None:
    root, _ = anywhere
    assert "up to date kim" in handbook(env, root, "build", "profiles/kim.yaml")


def test_translation_status_extracts_the_interface_strings_of_the_installed_package(
        env: dict[str, str], anywhere: tuple[Path, str]) -> None:
    root, _ = anywhere
    status = handbook(env, root, "i18n", "status", "es")
    interface = next(line.split() for line in status.splitlines() if line.split()[:1] == ["interface"])
    assert int(interface[1]) > 50 and interface[-1] == "100.0%", status  # from the wheel's templates and code


def test_a_project_overrides_single_templates_and_assets(env: dict[str, str], tmp_path: Path) -> None:
    bundled = Path(_run([str(Path(env["VIRTUAL_ENV"]) / "bin" / "python"), "-c",
                         "import generator.project as p; print(p.BUNDLED_TEMPLATES)"], env=env, cwd=tmp_path).strip())
    root = tmp_path / "clinic"
    (root / "templates" / "assets").mkdir(parents=True)
    head, end, tail = (bundled / "index.html").read_text(encoding="utf-8").rpartition("{% endblock %}")
    assert end, "the bundled index.html has no block to add to"
    (root / "templates" / "index.html").write_text(f"{head}<p>riverside clinic</p>\n{end}{tail}", encoding="utf-8")
    (root / "templates" / "assets" / "site.css").write_text("/* riverside clinic */\n", encoding="utf-8")
    handbook(env, root, "new", "kim")
    handbook(env, root, "build", "--format", "html")
    built = root / "output" / "kim"
    assert "riverside clinic" in (built / "index.html").read_text(encoding="utf-8")
    assert (built / "assets" / "site.css").read_text(encoding="utf-8") == "/* riverside clinic */\n"
    assert (built / "assets" / "handbook.css").read_bytes() == (bundled / "assets" / "handbook.css").read_bytes()
    assert list((built / "assets" / "fonts").glob("*.woff2"))
