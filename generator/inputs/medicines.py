"""Medicine doses and advice to change medicines, found in hand-written text.

The one home of these patterns: the content gates (quality/gates.py) look for them in module
bodies, and the profile checks (profile/safety.py) in every free text a clinician types, because
whatever either holds reaches the reader, down to the wallet card. A handbook never gives a dose
or tells anyone to change a medicine: medicines are taken as prescribed, and only the prescriber
changes them.

What counts as a dose: a number with a unit medicines are measured in (300 mg, 5 ml, 2.5mg/kg,
400 IU, 10 units, 1 tablet, 2 puffs, 3 drops, 1 patch) or a counted form (two tablets, half a
pill), in English, Spanish (300 miligramos, dos comprimidos) or Arabic (300 ملغ, Arabic-Indic
digits too). Times (7:30), percentages, minutes, metres, sets and repetitions are not doses. What
counts as a change: a verb of change before a medicine word or a medicine's name (stop taking
gabapentin, increase your dose, halve the tablets, come off pregabalin, take an extra painkiller,
deje de tomar gabapentina, ضاعف الجرعة), unless a negation governs that verb or the sentence asks
first (`SAFE_BEFORE`: "do not stop ...", "never change ...", "ask your doctor before ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from generator.errors import quote

_VERB = (r"(?:increas(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|reduc(?:e|es|ed|ing)|lower(?:s|ed|ing)?"
         r"|rais(?:e|es|ed|ing)|doubl(?:e|es|ed|ing)(?:\s+up)?|halv(?:e|es|ed|ing)|stop(?:s|ped|ping)?"
         r"|start(?:s|ed|ing)?|chang(?:e|es|ed|ing)|skip(?:s|ped|ping)?|cut(?:s|ting)?(?:\s+down(?:\s+on)?)?"
         r"|taper(?:s|ed|ing)?(?:\s+off)?|adjust(?:s|ed|ing)?|swap(?:s|ped|ping)?|switch(?:es|ed|ing)?"
         r"|quit(?:s|ting)?|drop(?:s|ped|ping)?|(?:come|coming|go|going)\s+off|up)")
# Medicines by name: those most often prescribed for nerve pain and its company (sleep, mood,
# diabetes), generic names and common brands. Any other name is caught by a dose beside it.
_NAMES = (r"(?:gabapentin|pregabalin|amitriptyline|nortriptyline|imipramine|duloxetine|venlafaxine"
          r"|carbamazepine|oxcarbazepine|lamotrigine|topiramate|lidocaine|lignocaine|capsaicin"
          r"|tramadol|tapentadol|morphine|oxycodone|codeine|co-codamol|dihydrocodeine|fentanyl"
          r"|buprenorphine|hydromorphone|methadone|paracetamol|acetaminophen|ibuprofen|naproxen"
          r"|diclofenac|aspirin|baclofen|diazepam|clonazepam|zopiclone|zolpidem|melatonin|insulin"
          r"|metformin|lyrica|neurontin|cymbalta|tegretol|versatis|qutenza|tylenol|nurofen|advil)")
_DRUG = (r"(?:doses?|dosages?|dosing|medicines?|medications?|meds|tablets?|pills?|capsules?"
         rf"|painkillers?|pain\s+killers?|prescriptions?|drugs?|inhalers?|injections?|patch(?:es)?|{_NAMES})")
_DETERMINER = r"(?:your|the|a|an|any|my|their|his|her|this|that|these|those|each|all|some|of|one)"

# Spanish (profiles written in Spanish): verbs of change, then a medicine word or name.
_ES_VERB = (r"(?:dej(?:e|a|ar|en)\s+de\s+(?:tomar|usar|tomarse)|suspend(?:a|e|er|an)|dupliqu(?:e|en)|duplic(?:a|ar)"
            r"|aument(?:e|a|ar|en)|reduzc(?:a|an)|reduc(?:e|ir)|baj(?:e|a|ar|en)|disminu(?:ya|ye|ir)"
            r"|cambi(?:e|a|ar|en)|s[aá]lte(?:se)?|omit(?:a|e|ir)|interrump(?:a|e|ir))")
_ES_NAMES = (r"(?:gabapentina|pregabalina|amitriptilina|duloxetina|nortriptilina|tramadol|morfina|oxicodona"
             r"|code[ií]na|paracetamol|ibuprofeno|insulina)")
_ES_DRUG = (r"(?:medicamentos?|medicinas?|pastillas?|dosis|comprimidos?|tabletas?|c[aá]psulas?|parches?"
            rf"|analg[eé]sicos?|f[aá]rmacos?|{_ES_NAMES})")
_ES_DETERMINER = r"(?:el|la|los|las|su|sus|tu|tus|mi|mis|de|del|un|una|cualquier|alg[uú]n|alguna|esta|este|estas|estos)"
# Arabic: stop taking / double / increase / reduce / change, then a medicine word or name.
_AR_VERB = (r"(?:ت?توقف(?:ي|وا)?\s+عن\s+(?:تناول|أخذ|اخذ)|[أا]وقف(?:ي|وا)?|ت?ضاعف(?:ي|وا)?|زد|زيدي|زيدوا|تزد|تزيد(?:ي)?"
            r"|ت?قلل(?:ي|وا)?|ت?خفف(?:ي|وا)?|ت?خفض(?:ي|وا)?|ت?غير(?:ي|وا)?)")
_AR_DRUG = (r"(?:(?:ال)?(?:دواء|أدوية|ادوية|جرعة|جرعات|حبوب|أقراص)|دوائك|أدويتك|ادويتك|جرعتك|حبوبك"
            r"|جابابنتين|غابابنتين|بريجابالين|بريغابالين|ترامادول|مورفين)")

# Units medicines are measured in. `g` is kept (1 g of paracetamol is a dose), so food amounts
# are best written in words ("25 grams of fibre"); "units of alcohol" is not a dose.
_UNITS = (r"(?:mgs?|milligrams?|milligrammes?|mcg|micrograms?|µg|μg|ug|g|mls?|millilit(?:re|er)s?|cc|iu"
          r"|units?(?!\s+of\s+alcohol)|tablets?|tabs?|pills?|capsules?|caps?|puffs?"
          r"|drops?|doses?|patch(?:es)?|sprays?|sachets?|lozenges?"
          # Spanish
          r"|miligramos?|microgramos?|mililitros?|comprimidos?|tabletas?|pastillas?|c[aá]psulas?|gotas?"
          r"|parches?|inhalaci(?:ón|on|ones)|dosis"
          # Arabic
          r"|ملغ|مغ|مل|حبة|حبات|حبوب|قرص|أقراص|اقراص|كبسولة|كبسولات|نقطة|نقاط|قطرات)")
_FORMS = r"(?:tablets?|tabs?|pills?|capsules?|puffs?|drops?|patch(?:es)?|sprays?|sachets?)"
_ES_FORMS = r"(?:comprimidos?|tabletas?|pastillas?|c[aá]psulas?|gotas?|parches?|inhalaciones|puffs?)"

DOSE = re.compile(
    rf"(?:\b\d+(?:[.,٫]\d+)?|[½¼¾])[-\s]*{_UNITS}\b"
    rf"|\b(?:(?:one|two|three|four|five|six)(?:\s+and\s+a\s+half)?|half\s+a|a\s+half)\s+{_FORMS}\b"
    rf"|\b(?:un|uno|una|dos|tres|medio|media)\s+(?:y\s+medi[oa]\s+)?{_ES_FORMS}\b"
    r"|\bنصف\s+(?:حبة|قرص|كبسولة)\b|\b(?:حبتين|حبتان|قرصين|قرصان|كبسولتين|كبسولتان)\b",
    re.I,
)
DRUG_CHANGE = re.compile(
    rf"\b{_VERB}(?:\s*(?:,|\bor\b|\band\b|/)\s*{_VERB})*"
    rf"(?:\s+(?:taking|using|having))?(?:\s+{_DETERMINER}){{0,3}}(?:\s+[\w-]+){{0,2}}?\s+{_DRUG}\b"
    rf"|\btak(?:e|es|ing)\s+(?:an?\s+)?(?:extra|more|less|fewer|double|another)\b(?:\s+[\w-]+){{0,3}}?\s+{_DRUG}\b"
    rf"|\b{_ES_VERB}(?:\s+{_ES_DETERMINER}){{0,3}}(?:\s+[\w-]+){{0,2}}?\s+{_ES_DRUG}\b"
    rf"|\b{_AR_VERB}(?:\s+\S+){{0,2}}?\s+{_AR_DRUG}\b",
    re.I,
)
# Words just before the change that make it safe. A negation counts only when it governs the
# verb of change itself ("do not stop", "never change", "don't suddenly stop"), not any "no"
# nearby ("Don't hesitate to double your dose", "If no better increase the dose"); "ask ...
# before/about/whether ..." and "your doctor may ..." are safe too.
_NOT_A_MANNER = r"(?!(?:hesitate|forget|wait|delay|fail|worry|be)\b)"
SAFE_BEFORE = re.compile(
    r"(?:\b(?:(?:do|does|did|should|must|will|would|can|could|may|might|need)\s+not|not\s+to|never"
    r"|(?:do|does|did|should|must|wo|ca|need)n't|cannot))"
    rf"\s+(?:{_NOT_A_MANNER}\w+\s+)?$"
    r"|\b(?:ask|asking|talk|talking|speak|check|tell|call|contact|discuss|consult)\b.*"
    r"\b(?:before|about|whether(?:\s+to)?|if\s+you\s+should)(?:\s+you)?\s*$"
    r"|\b(?:doctors?|team|nurses?|pharmacists?|GP|prescribers?|clinicians?)\s+(?:may|might|can|could|will|would|should)"
    r"(?:\s+\w+)?\s*$"
    # Spanish: "no deje de tomar", "nunca cambie", "pregunte ... antes de", "su médico puede ..."
    r"|\b(?:no|nunca|jam[aá]s)\s+(?:(?:se|lo|la|los|las|le|les|me|te)\s+)?$"
    r"|\b(?:pregunte|consulte|hable|llame|pregunta|consulta|habla)\b.*\b(?:antes\s+de|si\s+debe)\s*$"
    r"|\b(?:m[eé]dicos?|m[eé]dicas?|equipo|enfermer[oa]s?|farmac[eé]utic[oa]s?)\s+(?:puede|pueden|podr[aá]|podr[ií]a)\s*$"
    # Arabic: "لا تتوقف", "لا تغير أبدا", "اسأل طبيبك قبل أن ..."
    r"|(?<!\S)(?:لا|لن)\s+$"
    r"|(?<!\S)قبل(?:\s+أن|\s+ان)?\s*$",
    re.I,
)
# One rule for where a sentence ends, for profile values and module bodies alike: a full stop,
# question or exclamation mark, semicolon or colon (Arabic ؟ and ؛ too) followed by a space, or
# a blank line. A module body also starts a sentence at every line its grammar says does
# (`line_starts_sentence`: headings, list items, `:::` lines, table rows).
SENTENCE_END = re.compile(r"[.!?;:؟؛]\s|\n\s*\n")

DOSE_ADVICE = "medicines are taken as prescribed; write 'take your medicines as prescribed' or leave it out"
CHANGE_ADVICE = ("only the prescriber changes medicines; write 'do not stop or change any medicine "
                 "without asking your care team' or leave it out")


class Finding(NamedTuple):
    """A dose or advice to change medicines: where it starts in the text, and what to say."""

    start: int
    message: str


def sentence_before(text: str, position: int, line_starts_sentence: Callable[[str], bool] | None = None) -> str:
    """The part of the sentence that comes before `position`."""
    start = 0
    for boundary in SENTENCE_END.finditer(text, 0, position):
        start = boundary.end()
    if line_starts_sentence is not None:
        cut = position
        while (newline := text.rfind("\n", start, cut)) != -1:  # a later line that starts a sentence
            end = text.find("\n", newline + 1)
            if line_starts_sentence(text[newline + 1:end if end != -1 else len(text)]):
                return text[newline + 1:position]
            cut = newline
    return text[start:position]


def medicine_findings(text: str, line_starts_sentence: Callable[[str], bool] | None = None) -> Iterator[Finding]:
    """Every dose and every unsafe advice to change medicines in `text`, with where each starts."""
    text = text.replace("’", "'")  # same length: positions hold in the original text
    for match in DOSE.finditer(text):
        found = " ".join(match.group(0).split())
        food = " (for food, write 'grams' in full)" if re.search(r"(?<![a-zµμ])g$", found, re.I) else ""
        yield Finding(match.start(),
                      f"a medicine dose ({quote(found)}) does not belong in the handbook: {DOSE_ADVICE}{food}")
    for match in DRUG_CHANGE.finditer(text):
        if SAFE_BEFORE.search(sentence_before(text, match.start(), line_starts_sentence)):
            continue
        found = " ".join(match.group(0).split())
        yield Finding(match.start(),
                      f"advice to change medicines ({quote(found)}) does not belong in the handbook: {CHANGE_ADVICE}")


def medicine_problems(text: str) -> Iterator[str]:
    """What a short free text (one profile value) says about doses or changing medicines, in words.

    Each message says what was found and why it does not belong in a handbook.
    """
    for finding in medicine_findings(text):
        yield finding.message
