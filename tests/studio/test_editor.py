"""The form editor's routes through Starlette's test client, on a temporary copy of the project."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient
from studioutil import client_of, make_studio, origin_of

from generator.profile.schema import profile_json_schema
from generator.studio.asgi import create_app

from .conftest import encoded, form_fields


@pytest.fixture()
def client(project_copy: Path) -> TestClient:
    """A client that speaks as the studio's own pages do: its Host, and its Origin on every post."""
    studio = make_studio(project_copy)
    return TestClient(create_app(studio), base_url=f"http://127.0.0.1:{studio.port}", headers=origin_of(studio))


def _form(client: TestClient, url: str, **changes: str) -> list[tuple[str, str]]:
    page = client.get(url)
    assert page.status_code == 200
    return [(name, changes.get(name, value)) for name, value in form_fields(page.text)]


def _field_messages(html: str, field_id: str) -> str:
    found = re.search(rf'<ul class="messages" id="{field_id}-msg">(.*?)</ul>', html, re.S)
    assert found, field_id
    return html_module.unescape(found.group(1))


def test_the_edit_page_shows_the_profile_in_labelled_fields(client: TestClient) -> None:
    page = client.get("/edit/jo-hand-injury")
    assert page.status_code == 200
    assert '<label for="f-preferred_name">' in page.text and 'name="goals[0].text"' in page.text
    assert 'type="date"' in page.text and 'type="time"' in page.text and 'type="checkbox"' in page.text
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', page.text))
    labelled = set(re.findall(r'<label for="([^"]+)"', page.text))
    assert ids and not ids - labelled  # every visible input has its label


def test_saving_changes_the_file_and_keeps_its_comments(client: TestClient, project_copy: Path) -> None:
    path = project_copy / "profiles" / "ana-lopez.yaml"
    before = path.read_text()
    fields = _form(client, "/edit/ana-lopez", **{"goals[0].text": "Sostener una taza de té"})
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/edit/ana-lopez?done=saved"
    after = path.read_text()
    assert "Sostener una taza de té" in after
    assert [line for line in before.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert 'value="Sostener una taza de té"' in client.get(response.headers["location"]).text


def test_a_post_without_the_token_is_refused(client: TestClient, project_copy: Path) -> None:
    path = project_copy / "profiles" / "ana-lopez.yaml"
    before = path.read_text()
    fields = [(k, v) for k, v in _form(client, "/edit/ana-lopez", preferred_name="Eve") if k != "token"]
    assert client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")])).status_code == 403
    forged = [*fields, ("token", "guessed"), ("action", "save")]
    assert client.post("/edit/ana-lopez", **encoded(forged)).status_code == 403
    assert client.post("/edit/ana-lopez/check", **encoded(fields)).status_code == 403
    assert path.read_text() == before


def test_a_wrong_value_is_not_saved_and_its_message_is_next_to_its_field(client: TestClient,
                                                                         project_copy: Path) -> None:
    path = project_copy / "profiles" / "ana-lopez.yaml"
    before = path.read_text()
    fields = _form(client, "/edit/ana-lopez", **{"pacing.weeks": "99", "preferred_name": "Ana María"})
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]))
    assert response.status_code == 422
    assert path.read_text() == before
    assert "from 1 to 52" in _field_messages(response.text, "f-pacing-weeks")
    assert re.search(r'id="f-pacing-weeks"[^>]*aria-invalid="true"', response.text)
    assert '<a href="#f-pacing-weeks">Weeks</a>' in response.text  # the summary links to the field
    assert 'value="Ana María"' in response.text  # what was typed is kept


def test_the_check_route_answers_with_each_message_and_its_field(client: TestClient) -> None:
    fields = _form(client, "/edit/ana-lopez", **{"clinic.next_review": "2026-02-30"})
    result = client.post("/edit/ana-lopez/check", **encoded(fields)).json()
    assert result["ok"] is False
    assert [m["id"] for m in result["messages"] if m["severity"] == "error"] == ["f-clinic-next_review"]
    fine = client.post("/edit/ana-lopez/check", **encoded(_form(client, "/edit/ana-lopez"))).json()
    assert fine["ok"] is True


def test_lists_grow_and_shrink_without_script(client: TestClient, project_copy: Path) -> None:
    before = (project_copy / "profiles" / "ana-lopez.yaml").read_text()
    fields = _form(client, "/edit/ana-lopez")
    added = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "add:goals")]))
    assert added.status_code == 200
    goals = re.findall(r'name="goals\[([0-9]+)\]\.text"', added.text)
    assert re.search(rf'name="goals\[{goals[-1]}\]\.text" value=""[^>]*autofocus', added.text)
    removed = client.post("/edit/ana-lopez", **encoded([*form_fields(added.text), ("action", "remove:goals[0]")]))
    assert len(re.findall(r'name="goals\[[0-9]+\]\.text"', removed.text)) == len(goals) - 1
    assert (project_copy / "profiles" / "ana-lopez.yaml").read_text() == before  # nothing saved yet


def test_a_file_changed_meanwhile_is_not_overwritten(client: TestClient, project_copy: Path) -> None:
    path = project_copy / "profiles" / "ana-lopez.yaml"
    fields = _form(client, "/edit/ana-lopez", preferred_name="Eve")
    path.write_text(path.read_text() + "# edited in a text editor\n")
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]))
    assert response.status_code == 409
    assert path.read_text().endswith("# edited in a text editor\n") and "Eve" not in path.read_text()


@pytest.mark.parametrize("url", ["/edit/nobody", "/edit/..%2F..%2Fetc%2Fpasswd", "/edit/Ana", "/edit/a.b"])
def test_no_file_outside_the_profiles_is_edited(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_a_link_out_of_the_project_is_not_edited(client: TestClient, project_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "other.yaml"
    outside.write_text((project_copy / "profiles" / "ana-lopez.yaml").read_text())
    (project_copy / "profiles" / "other.yaml").symlink_to(outside)
    assert client.get("/edit/other").status_code == 404


def test_a_new_profile_is_made_from_the_starter(client: TestClient, project_copy: Path) -> None:
    page = client.get("/new")
    assert page.status_code == 200 and 'name="clinic.name" value="Your Clinic Name"' in page.text
    fields = [(k, {"id": "lee-new", "preferred_name": "Lee"}.get(k, v)) for k, v in form_fields(page.text)]
    response = client.post("/new", **encoded(fields), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/edit/lee-new?done=created"
    text = (project_copy / "profiles" / "lee-new.yaml").read_text()
    assert text.startswith("# Handbook profile for lee-new.") and "preferred_name: Lee " in text
    assert client.get("/edit/lee-new?done=created").status_code == 200
    again = client.post("/new", **encoded(fields))
    assert again.status_code == 422 and "already exists" in _field_messages(again.text, "f-id")


def test_a_new_profile_needs_a_valid_id(client: TestClient, project_copy: Path) -> None:
    fields = [(k, "Lee Smith" if k == "id" else v) for k, v in form_fields(client.get("/new").text)]
    response = client.post("/new", **encoded(fields))
    assert response.status_code == 422 and "did you mean 'lee-smith'" in _field_messages(response.text, "f-id")
    assert sorted(p.name for p in (project_copy / "profiles").iterdir()) == sorted(
        p.name for p in (Path(__file__).parents[2] / "profiles").iterdir())


def test_a_file_the_form_cannot_hold_says_where_to_fix_it(client: TestClient, project_copy: Path) -> None:
    (project_copy / "profiles" / "broken.yaml").write_text("handbook: 1\nid: broken\ngoals: [a\n")
    page = client.get("/edit/broken")
    assert page.status_code == 422 and "profiles/broken.yaml:4" in page.text and "YAML syntax error" in page.text


def _help(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="help" id="{field_id}-help">(.*?)</p>', html, re.S)
    assert found, field_id
    return html_module.unescape(found.group(1))


def test_the_form_speaks_the_interface_language_and_the_schema_stays_english(project_copy: Path) -> None:
    studio = make_studio(project_copy, ui_language="es")
    spanish = TestClient(create_app(studio), base_url=f"http://127.0.0.1:{studio.port}", headers=origin_of(studio))
    page = spanish.get("/edit/ana-lopez").text
    assert '<label for="f-preferred_name">Nombre preferido' in page
    assert _help(page, "f-preferred_name") == "Cómo se dirige el manual al lector."
    assert _help(page, "f-pacing-baseline_percent") == "Punto de partida = este % de la media de los últimos días."
    assert _help(page, "f-pacing-activities-0-recent") == ("Lo que se logró en los últimos días antes de que "
                                                           "aumentaran los síntomas. Números separados por comas.")
    assert ">hormigueo</label>" in page and ">sensibilidad al frío</label>" in page  # vocabulary words
    assert '<option value="ES">España (ES)</option>' in page  # country names from Babel, in Spanish
    assert "How the handbook addresses the reader" not in page
    schema = profile_json_schema()["properties"]
    assert schema["preferred_name"]["description"] == "How the handbook addresses the reader."  # handbook schema


def test_the_form_does_not_give_yaml_advice_and_the_schema_does(client: TestClient) -> None:
    """The form writes a phone number or a time quoted itself; a YAML editor's reader must quote them."""
    page = client.get("/edit/ana-lopez").text
    assert _help(page, "f-clinic-phone") == "The clinic's phone number."
    assert _help(page, "f-sleep-wake_time") == "Usual wake time, HH:MM."
    assert "quote it" not in page
    schema = profile_json_schema()["properties"]
    assert schema["clinic"]["properties"]["phone"]["description"] == "The clinic's phone number (quote it)."


def test_save_refusals_and_checks_speak_the_interface_language(project_copy: Path) -> None:
    studio = make_studio(project_copy, ui_language="es")
    spanish = TestClient(create_app(studio), base_url=f"http://127.0.0.1:{studio.port}", headers=origin_of(studio))
    path = project_copy / "profiles" / "ana-lopez.yaml"
    fields = _form(spanish, "/edit/ana-lopez", **{"pacing.weeks": "99"})
    result = spanish.post("/edit/ana-lopez/check", **encoded(fields)).json()
    assert [m["label"] for m in result["messages"] if m["id"] == "f-pacing-weeks"] == ["Semanas"]
    path.write_text(path.read_text() + "# edited in a text editor\n")
    conflict = spanish.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]))
    assert conflict.status_code == 409
    assert "Otra persona cambió el archivo después de abrir esta página" in conflict.text
    missing = spanish.get("/edit/nobody")
    assert missing.status_code == 404 and "No hay ningún perfil llamado «nobody» en profiles/." in missing.text
    forged = spanish.post("/edit/ana-lopez", **encoded([("token", "guessed"), ("action", "save")]))
    assert forged.status_code == 403 and "Este formulario está desactualizado" in forged.text


def test_every_help_text_of_the_arabic_form_is_translated(project_copy: Path) -> None:
    english = make_studio(project_copy)
    arabic = make_studio(project_copy, ui_language="ar")
    pages = [client_of(studio).get("/edit/layla-haddad").text for studio in (english, arabic)]
    helps = [dict(re.findall(r'<p class="help" id="([^"]+)-help">(.*?)</p>', page, re.S)) for page in pages]
    assert helps[0] and helps[0].keys() == helps[1].keys()
    assert not [key for key in helps[0] if helps[0][key] == helps[1][key]]  # no help left in English
    assert all(re.search("[\u0600-\u06ff]", text) for text in helps[1].values())
    assert '<html lang="ar" dir="rtl">' in pages[1]
    # What a clinician types takes its own direction: a phone number or an English cause stays left to right.
    assert re.search(r'<input type="text" id="f-clinic-phone"[^>]* dir="auto"', pages[1])
    assert re.search(r'<textarea id="f-condition-cause"[^>]* dir="auto"', pages[1])


def _replace(path: Path, old: str, new: str) -> str:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path.read_text()


def test_a_lone_goal_where_a_list_belongs_is_shown_and_saved_as_a_list_of_one(client: TestClient,
                                                                              project_copy: Path) -> None:
    path = project_copy / "profiles" / "ana-lopez.yaml"
    text = path.read_text()
    start = text.index("goals:")
    path.write_text(text[:start] + "goals: Caminar al mercado\n\n" + text[text.index("topics:"):])
    fields = _form(client, "/edit/ana-lopez")
    assert ("goals[0].text", "Caminar al mercado") in fields
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert yaml.safe_load(path.read_text())["goals"] == ["Caminar al mercado"]


@pytest.mark.parametrize(("old", "new", "field_id", "line"), [
    ("preferred_name: Ana", "preferred_name: {first: Ana}", "f-preferred_name", 5),  # a group where text belongs
    ("  large_print: false", "  large_print: 'no'", "f-print-large_print", 12),  # text where a box belongs
    ("  - text: Caminar al mercado y volver", "  - text: [Caminar, volver]", "f-goals-1-text", 32),  # a list
], ids=["group-for-text", "text-for-a-box", "list-for-a-goal"])
def test_a_value_the_form_cannot_show_is_never_lost_by_a_save(client: TestClient, project_copy: Path,
                                                              old: str, new: str, field_id: str, line: int) -> None:
    """Before, the form showed such a value empty and a save dropped it (or wrote a Python repr)."""
    path = project_copy / "profiles" / "ana-lopez.yaml"
    before = _replace(path, old, new)
    page = client.get("/edit/ana-lopez")
    said = _field_messages(page.text, field_id)
    assert f"The form cannot show what profiles/ana-lopez.yaml holds here (line {line})" in said
    assert "expected" in said and "missing" not in said  # the check's own words on what the file holds
    assert "{'first'" not in page.text and "['Caminar'" not in page.text  # never a Python repr in a field
    fields = _form(client, "/edit/ana-lopez", **{"goals[0].text": "Sostener una taza"})
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 422 and path.read_text() == before
    check = client.post("/edit/ana-lopez/check", **encoded(fields)).json()
    assert not check["ok"] and any(m["id"] == field_id and "cannot show" in m["text"] for m in check["messages"])


def test_the_form_says_in_the_interface_language_what_it_cannot_show(project_copy: Path) -> None:
    _replace(project_copy / "profiles" / "ana-lopez.yaml", "preferred_name: Ana", "preferred_name: [Ana]")
    studio = make_studio(project_copy, ui_language="es")
    spanish = TestClient(create_app(studio), base_url=f"http://127.0.0.1:{studio.port}", headers=origin_of(studio))
    said = _field_messages(spanish.get("/edit/ana-lopez").text, "f-preferred_name")
    assert "El formulario no puede mostrar lo que profiles/ana-lopez.yaml tiene aquí (línea 5)" in said


def test_a_text_area_sent_with_crlf_line_breaks_saves_as_lines(client: TestClient, project_copy: Path) -> None:
    """Browsers send a text area's line breaks as CRLF: the save was refused for U+000D."""
    fields = _form(client, "/edit/ana-lopez", **{"condition.cause": "Lesión del nervio\r\nen la mano derecha"})
    response = client.post("/edit/ana-lopez", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = yaml.safe_load((project_copy / "profiles" / "ana-lopez.yaml").read_text())
    assert saved["condition"]["cause"] == "Lesión del nervio\nen la mano derecha"


def test_a_profile_written_in_flow_style_opens_and_saves(client: TestClient, project_copy: Path) -> None:
    """One line `{handbook: 1, id: ...}` made the editor fail with a 500."""
    path = project_copy / "profiles" / "flo.yaml"
    path.write_text("{handbook: 1, id: flo, preferred_name: Flo, language: en}\n")
    assert client.get("/edit/flo").status_code == 200
    fields = _form(client, "/edit/flo", preferred_name="Florence")
    response = client.post("/edit/flo", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert yaml.safe_load(path.read_text())["preferred_name"] == "Florence"


NORWAY = """\
handbook: 1
id: kim
preferred_name: No     # her name
language: en
clinic:
  name: Oslo Pain Clinic
  country: NO
  clinician: 12:30
sleep:
  bedtime: 23:30
goals:
  - On
"""


def test_the_form_reads_words_as_validate_does_not_as_yaml_1_1(client: TestClient, project_copy: Path) -> None:
    """PyYAML's reading made `No` false, `12:30` 750 and `NO` (Norway) false: the form showed them, a
    save wrote the patient's name as "false", a browser emptied the time and the save deleted it."""
    path = project_copy / "profiles" / "kim.yaml"
    path.write_text(NORWAY)
    fields = dict(_form(client, "/edit/kim"))
    assert fields["preferred_name"] == "No" and fields["clinic.clinician"] == "12:30"
    assert fields["sleep.bedtime"] == "23:30" and fields["goals[0].text"] == "On"
    page = client.get("/edit/kim").text
    assert '<option value="NO" selected>' in page
    unchanged = _form(client, "/edit/kim")
    response = client.post("/edit/kim", **encoded([*unchanged, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303 and path.read_text() == NORWAY
    changed = _form(client, "/edit/kim", **{"clinic.name": "Oslo Smerteklinikk"})
    response = client.post("/edit/kim", **encoded([*changed, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert path.read_text() == NORWAY.replace("Oslo Pain Clinic", "Oslo Smerteklinikk")


@pytest.mark.parametrize("text", [
    "handbook: 1\nid: nonl\npreferred_name: Jo\nlanguage: en",  # no final line break
    "handbook: 1\nid: nonl\npreferred_name: \"Mo \"\nlanguage: en\n",  # a space the clinician typed
    "handbook: 1\nid: nonl\npreferred_name: Jo\nlanguage: en\ncondition:\n  cause: |\n    Nerve injury\n",
    "handbook: 1\nid: nonl\npreferred_name: Jo\nlanguage: en\nnutrition:\n  notes: >\n    Eats well,\n    "
    "mostly.\n",
], ids=["no-final-newline", "trailing-space", "literal-block", "folded-block"])
def test_saving_an_unchanged_form_leaves_the_file_byte_for_byte(client: TestClient, project_copy: Path,
                                                                text: str) -> None:
    path = project_copy / "profiles" / "nonl.yaml"
    path.write_text(text)
    inode = path.stat().st_ino
    fields = _form(client, "/edit/nonl")
    response = client.post("/edit/nonl", **encoded([*fields, ("action", "save")]), follow_redirects=False)
    assert response.status_code == 303, response.text
    assert path.read_text() == text and path.stat().st_ino == inode
