"""Medicine doses and advice to change medicines, found in hand-written text.

The one home of these patterns: the content gates (quality/gates.py) look for them in module
bodies, and the profile checks (profile/safety.py) in every free text a clinician types, because
whatever either holds reaches the reader, down to the wallet card. A handbook never gives a dose
or tells anyone to change a medicine: medicines are taken as prescribed, and only the prescriber
changes them.

What counts as a dose: a number with a unit medicines are measured in (300 mg, 5 ml, 2.5mg/kg,
400 IU, 10 units, 1 tablet, 2 puffs, 3 drops, 1 patch) or a counted form (two tablets, half a
pill). Times (7:30), percentages, minutes, metres, sets and repetitions are not doses. What counts
as a change: a verb of change before a medicine word or a medicine's name (stop taking gabapentin,
increase your dose, halve the tablets, come off pregabalin, take an extra painkiller), unless the
sentence says not to (`SAFE_BEFORE`: "do not stop ...", "ask your doctor before ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
# Units medicines are measured in. `g` is kept (1 g of paracetamol is a dose), so food amounts
# are best written in words ("25 grams of fibre"); "units of alcohol" is not a dose.
_UNITS = (r"(?:mg|mcg|µg|μg|ug|g|ml|mL|iu|units?(?!\s+of\s+alcohol)|tablets?|pills?|capsules?|puffs?"
          r"|drops?|doses?|patch(?:es)?|sprays?|sachets?|lozenges?)")
_FORMS = r"(?:tablets?|pills?|capsules?|puffs?|drops?|patch(?:es)?|sprays?|sachets?)"

DOSE = re.compile(
    rf"(?:\b\d+(?:[.,]\d+)?|[½¼¾])\s*{_UNITS}\b"
    rf"|\b(?:one|two|three|four|five|six|half\s+a)\s+{_FORMS}\b",
    re.I,
)
DRUG_CHANGE = re.compile(
    rf"\b{_VERB}(?:\s*(?:,|\bor\b|\band\b|/)\s*{_VERB})*"
    rf"(?:\s+(?:taking|using|having))?(?:\s+{_DETERMINER}){{0,3}}(?:\s+[\w-]+){{0,2}}?\s+{_DRUG}\b"
    rf"|\btak(?:e|es|ing)\s+(?:an?\s+)?(?:extra|more|less|fewer|double|another)\b(?:\s+[\w-]+){{0,3}}?\s+{_DRUG}\b",
    re.I,
)
# Words before the advice that make it safe: "do not ...", "ask ... before ...",
# "your doctor may ...".
SAFE_BEFORE = re.compile(
    r"(?:\b(?:not|never|no)\b|n't)(?:\s+[\w']+){0,2}\s*$"
    r"|\b(?:before|about|whether(?:\s+to)?|if\s+you\s+should)(?:\s+you)?\s*$"
    r"|\b(?:doctors?|team|nurses?|pharmacists?|GP|prescribers?|clinicians?)\s+(?:may|might|can|could|will|would|should)"
    r"(?:\s+\w+)?\s*$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?;:]\s")

DOSE_ADVICE = "medicines are taken as prescribed; write 'take your medicines as prescribed' or leave it out"
CHANGE_ADVICE = ("only the prescriber changes medicines; write 'do not stop or change any medicine "
                 "without asking your care team' or leave it out")


def medicine_problems(text: str) -> Iterator[str]:
    """What a short free text (one profile value) says about doses or changing medicines, in words.

    Each message says what was found and why it does not belong in a handbook.
    """
    text = text.replace("’", "'")
    for match in DOSE.finditer(text):
        found = " ".join(match.group(0).split())
        food = " (for food, write 'grams' in full)" if re.search(r"(?<![a-zµμ])g$", found, re.I) else ""
        yield f"a medicine dose ({quote(found)}) does not belong in the handbook: {DOSE_ADVICE}{food}"
    for match in DRUG_CHANGE.finditer(text):
        before = text[:match.start()]
        sentence = before[max((m.end() for m in _SENTENCE_END.finditer(before)), default=0):]
        if SAFE_BEFORE.search(sentence):
            continue
        found = " ".join(match.group(0).split())
        yield f"advice to change medicines ({quote(found)}) does not belong in the handbook: {CHANGE_ADVICE}"
