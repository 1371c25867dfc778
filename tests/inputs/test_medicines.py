"""The one set of patterns for medicine doses and advice to change medicines (profiles and content)."""

from __future__ import annotations

import pytest

from generator.inputs.medicines import DOSE, DRUG_CHANGE, medicine_findings, medicine_problems, sentence_before


@pytest.mark.parametrize(("text", "dose"), [
    ("Take 300 mg at night", "300 mg"), ("300mg", "300mg"), ("0.5 mg", "0.5 mg"), ("1,5 mg", "1,5 mg"),
    ("5 ml", "5 ml"), ("5 mL", "5 mL"), ("1 tablet", "1 tablet"), ("2 puffs", "2 puffs"),
    ("2.5 mg/kg", "2.5 mg"), ("50 µg", "50 µg"), ("50 μg", "50 μg"), ("25 mcg", "25 mcg"),
    ("400 IU", "400 IU"), ("10 units of insulin", "10 units"), ("3 drops", "3 drops"),
    ("1 patch", "1 patch"), ("2 sprays", "2 sprays"), ("½ tablet", "½ tablet"), ("1 g", "1 g"),
    ("two tablets", "two tablets"), ("half a pill", "half a pill"),
    ("300 mgs", "300 mgs"), ("300 milligrams", "300 milligrams"), ("5 millilitres", "5 millilitres"),
    ("5 milliliters", "5 milliliters"), ("10 mls", "10 mls"), ("5 cc", "5 cc"), ("300-mg", "300-mg"),
    ("50 micrograms", "50 micrograms"), ("2 tabs", "2 tabs"), ("1 tab", "1 tab"), ("2 caps", "2 caps"),
    ("one and a half tablets", "one and a half tablets"),
    # Spanish and Arabic: profiles in es and ar are written in those languages
    ("3 tabletas", "3 tabletas"), ("dos comprimidos", "dos comprimidos"), ("300 miligramos", "300 miligramos"),
    ("5 mililitros", "5 mililitros"), ("media pastilla", "media pastilla"), ("2 cápsulas", "2 cápsulas"),
    ("una pastilla", "una pastilla"), ("3 gotas", "3 gotas"), ("2 inhalaciones", "2 inhalaciones"),
    ("300 ملغ", "300 ملغ"), ("٣٠٠ ملغ", "٣٠٠ ملغ"), ("5 مل", "5 مل"), ("2 حبات", "2 حبات"),
    ("١ قرص", "١ قرص"), ("3 قطرات", "3 قطرات"), ("2 كبسولة", "2 كبسولة"),
])
def test_doses(text: str, dose: str) -> None:
    found = DOSE.search(text)
    assert found is not None and found.group(0) == dose


@pytest.mark.parametrize("text", [
    "10 minutes", "2 sets of 10", "500 m walk", "5 km", "7:30", "23:30", "80%", "10 reps", "3 times a day",
    "5-minute blocks", "14 units of alcohol", "25 grams of fibre", "+1 555 0100", "5 kg",
    "500 m", "30 %", "units of alcohol", "1 table", "capítulo 3", "3 capas de ropa", "camine 10 minutos",
    "2 series de 10", "3 veces al día", "امش 10 دقائق", "الساعة ٧:٣٠",
])
def test_not_doses(text: str) -> None:
    assert DOSE.search(text) is None


@pytest.mark.parametrize("text", [
    "stop taking gabapentin", "increase your dose", "halve the tablets", "double the dose",
    "come off pregabalin", "cut down on your painkillers", "take an extra painkiller", "skip a dose",
    "deja de tomar gabapentina", "Deje de tomar sus medicamentos", "suspenda la pregabalina", "duplique la dosis",
    "aumente la dosis", "reduzca la dosis", "baje la dosis de tramadol", "توقف عن تناول الدواء", "ضاعف الجرعة",
    "زد الجرعة", "قلل الجرعة", "توقف عن تناول جابابنتين",
])
def test_medicine_changes(text: str) -> None:
    assert DRUG_CHANGE.search(text)


@pytest.mark.parametrize("text", [
    "Do not stop taking your medicines.", "Never double the dose.", "Ask your doctor before you stop any medicine.",
    "Your doctor may change the dose.", "Start taking short breaks.", "Stop taking the lift.",
    "Halve the walking time on a bad day.", "Drop back one pacing step.",
    "Do not stop taking your medicines.", "Never change a dose on your own.", "Don't suddenly stop your tablets.",
    "Try not to skip a dose.", "You should not stop your tablets.",
    "No deje de tomar sus medicamentos.", "Nunca cambie la dosis por su cuenta.",
    "Pregunte a su médico antes de cambiar la dosis.", "Camine 10 minutos y descanse.",
    "لا تتوقف عن تناول الدواء.", "اسأل طبيبك قبل أن تتوقف عن تناول الدواء.",
])
def test_safe_advice_and_other_changes_are_no_problem(text: str) -> None:
    assert list(medicine_problems(text)) == []


def test_the_safe_words_count_only_in_their_own_sentence() -> None:
    (message,) = medicine_problems("Do not rush. Stop taking gabapentin.")
    assert message.startswith("advice to change medicines ('Stop taking gabapentin')")


@pytest.mark.parametrize(("text", "found"), [
    ("Don't hesitate to double your dose.", "double your dose"),  # the negation governs "hesitate"
    ("If no better increase the dose.", "increase the dose"),  # "no" is not a negation of the change
    ("If not better increase the dose.", "increase the dose"),
    ("Don't wait, increase the dose.", "increase the dose"),
    ("Do not forget to stop your tablets.", "stop your tablets"),
    ("Si no mejora aumente la dosis.", "aumente la dosis"),
    ("Take your time before you increase the dose.", "increase the dose"),  # "before" without asking
])
def test_a_negation_counts_only_when_it_governs_the_change(text: str, found: str) -> None:
    (message,) = medicine_problems(text)
    assert message.startswith(f"advice to change medicines ('{found}')")


def test_every_dose_in_spanish_and_arabic_profile_text_is_found() -> None:
    assert len(list(medicine_problems("Tome 300 miligramos, luego dos comprimidos."))) == 2
    assert len(list(medicine_problems("خذ ٣٠٠ ملغ ثم ضاعف الجرعة"))) == 2


def test_findings_say_where_they_start_and_a_hook_can_start_sentences_at_lines() -> None:
    text = "Never\nstop your tablets"
    assert list(medicine_findings(text)) == []  # one sentence: "never" governs "stop"
    (finding,) = medicine_findings(text, lambda line: line.startswith("stop"))
    assert finding.start == text.index("stop")
    assert sentence_before(text, text.index("your"), lambda line: line.startswith("stop")) == "stop "
