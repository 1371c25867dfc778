"""Every page of the studio through an HTTP client: dashboard, previews, print preview, translators' pages, assets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import copy_project
from starlette.testclient import TestClient
from studioutil import client_of, make_studio

from generator.build import BuildOptions, build
from generator.studio.app import Studio
from generator.studio.pages import with_live_script

SAMPLES = ("ana-lopez", "jo-hand-injury", "layla-haddad", "maria-diabetic-feet", "sam-after-surgery")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("studio-pages"))


@pytest.fixture(scope="module")
def studio(root: Path) -> Studio:
    return make_studio(root)


@pytest.fixture(scope="module")
def client(studio: Studio) -> TestClient:
    return client_of(studio)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_the_dashboard_lists_every_profile_valid_and_never_built(client: TestClient) -> None:
    page = main_of(client.get("/").text)
    for key in SAMPLES:
        card = page[page.index(f'id="profile-{key}"'):]
        card = card[:card.index("</li>\n  <li") if "</li>\n  <li" in card else len(card)]
        assert "Valid" in card and "Never built" in card, key
        for link in (f"/preview/{key}", f"/print/{key}", f"/edit/{key}"):
            assert f'href="{link}"' in card, (key, link)
    assert 'href="/new"' in page


def test_a_profile_with_problems_shows_validates_messages_with_their_lines(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    profile = root / "profiles" / "jo-hand-injury.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("edition: patient", "edition: pateint"),
                       encoding="utf-8")
    page = main_of(client_of(make_studio(root)).get("/").text)
    card = page[page.index('id="profile-jo-hand-injury"'):page.index('id="profile-layla-haddad"')]
    assert "Has problems" in card
    assert "line 6" in card and "edition" in card and "patient" in card  # the line, the field, did-you-mean
    assert 'href="/preview/jo-hand-injury"' not in card and 'href="/edit/jo-hand-injury"' in card
    assert "1 has problems to fix" in page
    assert "profiles/jo-hand-injury.yaml" in card and str(root) not in page  # the project's folder left out
    # The preview shows the problems, not a handbook.
    preview = client_of(make_studio(root)).get("/preview/jo-hand-injury/")
    assert preview.status_code == 200 and "cannot be shown yet" in preview.text and "line 6" in preview.text


def test_warnings_are_shown_as_validate_prints_them(client: TestClient, studio: Studio) -> None:
    entries = {entry.key: entry for entry in studio.workspace.entries()}
    warned = [entry for entry in entries.values() if entry.warnings]
    page = main_of(client.get("/").text)
    for entry in warned:
        assert f"{len(entry.warnings)} warning" in page
        first = entry.warnings[0]
        assert first.message.replace("'", "&#39;").replace('"', "&#34;")[:40] in page


def test_built_then_out_of_date_as_handbook_build_judges_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    studio = make_studio(root)
    report = build(studio.project, [root / "profiles" / "jo-hand-injury.yaml"],
                   BuildOptions(output_dir=studio.project.output_dir, formats=frozenset({"html"})))
    assert report.exit_code == 0
    client = client_of(studio)
    card = main_of(client.get("/").text).split('id="profile-jo-hand-injury"')[1].split('id="profile-layla')[0]
    assert "Built, up to date" in card and "/built/" not in card  # no PDF was built
    profile = root / "profiles" / "jo-hand-injury.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    card = main_of(client.get("/").text).split('id="profile-jo-hand-injury"')[1].split('id="profile-layla')[0]
    assert "Built, out of date" in card
    # A PDF left by a build is linked, and served from output/<id>/ by the profile's name only.
    (studio.project.output_dir / "jo-hand-injury" / "handbook.pdf").write_bytes(b"%PDF-1.7 built")
    assert 'href="/built/jo-hand-injury/handbook.pdf"' in client.get("/").text
    response = client.get("/built/jo-hand-injury/handbook.pdf")
    assert response.content == b"%PDF-1.7 built" and response.headers["content-type"] == "application/pdf"
    assert client.get("/built/ana-lopez/handbook.pdf").status_code == 404  # never built


def test_the_preview_page_frames_the_handbook(client: TestClient) -> None:
    page = client.get("/preview/jo-hand-injury").text
    assert re.search(r'<iframe class="preview-frame" src="/preview/jo-hand-injury/" title="[^"]+"', page)
    assert 'href="/print/jo-hand-injury"' in page and 'href="/edit/jo-hand-injury"' in page


def test_preview_pages_are_rendered_in_memory_with_the_live_script(client: TestClient, studio: Studio) -> None:
    index = client.get("/preview/jo-hand-injury/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert "Jo" in index.text and 'src="/studio-assets/live.js" data-generation="' in index.text
    chapters = re.findall(r'href="([a-z-]+\.html)"', index.text)
    assert chapters
    for name in chapters[:3]:
        page = client.get(f"/preview/jo-hand-injury/{name}")
        assert page.status_code == 200 and "/studio-assets/live.js" in page.text, name
    css = client.get("/preview/jo-hand-injury/assets/handbook.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert not studio.project.output_dir.exists()  # nothing was written


@pytest.mark.parametrize("path", ["/preview/jo-hand-injury/no-such-page.html", "/preview/jo-hand-injury/profile.yaml",
                                  "/preview/nobody", "/preview/nobody/", "/print/nobody", "/built/nobody/handbook.pdf",
                                  "/translate/es/nobody", "/translate/xx", "/translate/xx/jo-hand-injury",
                                  "/studio-assets/nothing.js", "/studio-assets/layout.html", "/handbook-assets/x.css",
                                  "/preview/jo-hand-injury/../../profiles/jo-hand-injury.yaml"])
def test_what_is_not_there_is_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "jo-hand-injury.yaml" not in response.text or "There is no" in response.text


def test_an_unknown_profile_says_so_on_a_studio_page(client: TestClient) -> None:
    response = client.get("/preview/nobody")
    assert "There is no profile named &#39;nobody&#39;" in response.text and 'href="/"' in response.text


def test_the_print_preview_shows_progress_then_the_pdf(client: TestClient) -> None:
    page = client.get("/print/jo-hand-injury").text
    assert '<progress aria-label="' in page and 'role="status"' in page
    assert 'data-src="/preview/jo-hand-injury/handbook.pdf"' in page and "/studio-assets/print.js" in page


def test_the_pdf_is_laid_out_on_demand_in_memory(client: TestClient, studio: Studio) -> None:
    response = client.get("/preview/jo-hand-injury/handbook.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not studio.project.output_dir.exists()


def test_studio_and_handbook_assets_are_served_by_name(client: TestClient) -> None:
    live = client.get("/studio-assets/live.js")
    assert live.status_code == 200 and live.headers["content-type"].startswith("text/javascript")
    assert "EventSource('/events')" in live.text
    assert client.get("/studio-assets/studio.css").status_code == 200
    fonts = client.get("/handbook-assets/fonts.css")
    assert fonts.status_code == 200 and "Atkinson" in fonts.text
    assert client.get("/handbook-assets/fonts/atkinson-hyperlegible-latin-400-normal.woff2").status_code == 200


def test_the_translators_list_every_language_with_its_status(client: TestClient) -> None:
    page = main_of(client.get("/translate").text)
    assert 'href="/translate/es"' in page and 'href="/translate/ar"' in page
    assert re.search(r"\d+ of \d+", page)


def test_a_language_page_has_i18n_status_per_module_and_previews(client: TestClient) -> None:
    page = main_of(client.get("/translate/es").text)
    assert "pacing-basics" in page and "content/pacing/pacing-basics.md" in page
    assert re.search(r"Messages translated: \d+ of \d+ \(fuzzy: \d+, missing: \d+", page)  # i18n status's sum
    assert 'href="/translate/es/jo-hand-injury"' in page


def test_a_profile_previewed_in_another_language_says_which_modules_fall_back_and_why(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    catalogue = root / "content" / "locale" / "es" / "LC_MESSAGES" / "content.po"
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace('msgid "Boom and bust"\nmsgstr "Mucho hoy, nada mañana"', 'msgid "Boom and bust"\nmsgstr ""')
    text = text.replace('#: content/pacing/pacing-basics.md:3\nmsgctxt "pacing-basics"',
                        '#: content/pacing/pacing-basics.md:3\n#, fuzzy\nmsgctxt "pacing-basics"')
    catalogue.write_text(text, encoding="utf-8")
    client = client_of(make_studio(root))
    page = main_of(client.get("/translate/es/jo-hand-injury").text)
    assert "Modules shown in English" in page and "pacing-basics" in page
    assert "1 message missing" in page and "1 fuzzy message" in page
    assert 'src="/translate/es/preview/jo-hand-injury/"' in page
    framed = client.get("/translate/es/preview/jo-hand-injury/")
    assert framed.status_code == 200 and 'lang="es"' in framed.text
    assert client.get("/translate/es/preview/jo-hand-injury").status_code == 307


def test_a_fully_translated_handbook_says_so(client: TestClient) -> None:
    assert "Every module of this handbook is translated" in client.get("/translate/es/ana-lopez").text


def test_the_studio_speaks_the_language_asked_for(root: Path) -> None:
    page = client_of(make_studio(root, ui_language="es")).get("/").text
    assert '<html lang="es"' in page and "Perfiles" in page


def test_with_live_script_goes_before_the_head_ends() -> None:
    out = with_live_script(b"<html><head><title>x</title></head><body></body></html>", 7).decode()
    assert out.index('data-generation="7"') < out.index("</head>")


@pytest.mark.parametrize(("language", "title", "missing_profile", "no_page"), [
    ("es", "No encontrado", "No hay ningún perfil llamado «nobody» en profiles/.",
     "El estudio no tiene ninguna página en esta dirección."),
    ("ar", "غير موجود", "لا يوجد ملف شخصي باسم «nobody» في profiles/.", "لا توجد في الاستوديو صفحة على هذا العنوان."),
])
def test_error_pages_speak_the_interface_language(root: Path, language: str, title: str, missing_profile: str,
                                                  no_page: str) -> None:
    client = client_of(make_studio(root, ui_language=language))
    for url, detail in (("/preview/nobody", missing_profile), ("/print/nobody", missing_profile),
                        ("/no/such/page", no_page)):
        response = client.get(url)
        assert response.status_code == 404
        page = main_of(response.text)
        assert f"<h1>{title}</h1>" in page and detail in page
        assert "There is no" not in page and "Not Found" not in page
    language_page = client.get("/translate/xx")
    assert language_page.status_code == 404 and "«xx»" in language_page.text
    assert "no translation" not in language_page.text


def test_english_check_messages_are_isolated_left_to_right_on_an_arabic_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    broken = root / "profiles" / "sam-after-surgery.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("edition:", "editon:", 1), encoding="utf-8")
    arabic = main_of(client_of(make_studio(root, ui_language="ar")).get("/").text)
    isolated = '<bdi lang="en" dir="ltr">unknown key &#39;editon&#39;: did you mean &#39;edition&#39;?</bdi>'
    assert isolated in arabic
    assert "fuzzy: " not in arabic and "السطر 7" in arabic
    english = main_of(client_of(make_studio(root)).get("/").text)
    assert "unknown key &#39;editon&#39;" in english and "<bdi lang=\"en\"" not in english


def test_an_unforeseen_error_in_one_preview_is_shown_on_its_page(client: TestClient, studio: Studio,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug met while rendering one profile says so on that profile's preview, as a batch build
    names it, instead of a bare 500; the studio and the other previews go on."""
    import generator.build.handbooks

    real = generator.build.handbooks.render_files

    def render_files(profile, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if profile.id == "jo-hand-injury":
            raise RuntimeError("a bug met by this profile")
        return real(profile, *args, **kwargs)

    monkeypatch.setattr(generator.build.handbooks, "render_files", render_files)
    studio.workspace._renders.clear()  # noqa: SLF001 - render afresh, not from an earlier test's cache
    broken = client.get("/preview/jo-hand-injury/")
    assert broken.status_code == 200
    assert "unexpected error: RuntimeError: a bug met by this profile" in broken.text
    assert "a bug in handbook" in broken.text
    assert client.get("/preview/ana-lopez/").status_code == 200
    studio.workspace._renders.clear()  # noqa: SLF001 - later tests render the real thing


@pytest.mark.parametrize("url", ["/preview/%1b%5b31mX%e2%80%ae", "/edit/%1b%5b31mX%e2%80%ae"])
def test_a_missing_profile_is_named_without_raw_control_characters(client: TestClient, url: str) -> None:
    """An escape or a right-to-left override in the address came back raw in the 404 page."""
    response = client.get(url)
    assert response.status_code == 404
    assert "\x1b" not in response.text and "\u202e" not in response.text
    assert "\\x1b[31mX\\u202e" in response.text


def test_links_made_after_the_studio_started_are_never_followed_out(tmp_path: Path) -> None:
    """From an adversarial review: the link check ran once, at start-up, so links made later served
    a file outside the project, another patient's profile, or /etc/passwd, and a PDF through a
    linked output folder."""
    root = copy_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE")
    client = client_of(make_studio(root))
    assert client.get("/handbook-assets/site.css").status_code == 200
    (root / "templates" / "assets" / "leak.txt").symlink_to(secret)
    (root / "templates" / "assets" / "profile.txt").symlink_to(root / "profiles" / "ana-lopez.yaml")
    (root / "templates" / "studio" / "assets").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "studio" / "assets" / "leak.js").symlink_to(secret)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "handbook.pdf").write_text("SECRET-OUTSIDE")
    (root / "output").mkdir(exist_ok=True)
    (root / "output" / "jo-hand-injury").symlink_to(elsewhere)
    for url in ("/handbook-assets/leak.txt", "/handbook-assets/profile.txt", "/studio-assets/leak.js",
                "/preview/jo-hand-injury/assets/leak.txt", "/preview/jo-hand-injury/assets/profile.txt",
                "/built/jo-hand-injury/handbook.pdf"):
        response = client.get(url)
        assert "SECRET-OUTSIDE" not in response.text and "preferred_name" not in response.text, url
        if url.startswith("/preview/"):  # the preview's problems page says what to fix
            assert "outside templates/" in response.text, url
        else:
            assert response.status_code == 404, (url, response.status_code)


def test_a_build_refuses_an_asset_linked_out_after_the_check(tmp_path: Path) -> None:
    """A link made while a long batch runs is refused when the asset is read, not copied."""
    from generator.output.site import asset_files

    root = copy_project(tmp_path)
    (tmp_path / "secret.txt").write_text("SECRET-OUTSIDE")
    (root / "templates" / "assets" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(Exception) as caught:
        asset_files(root / "templates")
    assert "leak.txt" in str(caught.value) and "outside templates/" in str(caught.value)
