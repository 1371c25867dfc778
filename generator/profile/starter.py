"""The commented starter profile that `handbook new ID` writes.

A clinician learns the format from the file in front of them, so every section is
present with a short plain-words comment and a realistic placeholder value to
overwrite or delete. The text is checked by `parse_profile` in the tests, so the
starter can never drift from the format.
"""

from __future__ import annotations

import datetime as dt

from generator.errors import InputError
from generator.profile import model
from generator.profile.load import id_problem


def _wrap(words: tuple[str, ...], indent: str, width: int = 92) -> str:
    """A vocabulary as comment lines no wider than `width`."""
    lines, line = [], ""
    for word in words:
        candidate = f"{line}, {word}" if line else word
        if len(indent) + 2 + len(candidate) > width and line:
            lines.append(line + ",")
            line = word
        else:
            line = candidate
    lines.append(line)
    return "\n".join(f"{indent}# {text}" for text in lines)


def starter_profile(profile_id: str, today: dt.date) -> str:
    """The text of a new, valid, commented profile called `profile_id`, starting `today`."""
    problem = id_problem(profile_id)
    if problem:
        raise InputError(f"cannot create a profile: {problem}")
    first = profile_id.split("-")[0]
    name = first.capitalize() if first.isalpha() and len(first) <= 20 else "Alex"
    review = today + dt.timedelta(days=28)
    return f"""\
# Handbook profile for {profile_id}. Change the values to fit the person, delete the
# sections you do not need (each becomes general advice, or is left out), then run
#   handbook build {profile_id}
# Only handbook, id, preferred_name and language are required. Unknown keys are errors.
# Everything you write here is shown back to the reader as plain text.

handbook: 1                     # format version: always 1
id: {profile_id:<27} # lowercase letters, digits, hyphens; names output/{profile_id}/
preferred_name: {name:<15} # how the handbook addresses the reader (no surnames needed)
language: en                    # BCP 47 tag: en, es, ar, pt-BR, ...
edition: patient                # patient | caregiver (written to the person who helps at home)
start_date: {today.isoformat()}          # first day of week 1 of every plan; default: the build date

print:
  paper: A4                     # A4 | Letter
  large_print: false            # true: body text at least 16 pt, wider spacing
  duplex: false                 # true when printed on both sides of the paper

clinic:
  name: Your Clinic Name
  phone: "+1 555 0100"          # keep the quotes
  clinician: Your Name, PT
  next_review: {review.isoformat()}       # YYYY-MM-DD; shown on the cover
  country: US                   # GB, ES, AU, ...: the country's emergency and crisis numbers
  # emergency_number: "..."     # only when the local one differs from the country's
  # crisis_line: {{name: ..., number: "..."}}   # only to print a local crisis line instead

condition:
  cause: Nerve injury after an operation   # in words the reader knows
  symptoms: [burning, pins-and-needles]
{_wrap(model.SYMPTOMS, "    ")}
  areas: [right-foot]
    # head, face, neck, chest, abdomen, upper-back, lower-back, pelvis, and left-/right-
    # shoulder, upper-arm, forearm, hand, hip, thigh, knee, lower-leg, foot
  sleep_affected: true          # true | false
  mood_affected: false

goals:                          # the person's own words, most important first
  - Walk to the shop and back   # in English, linked by shared words to the plan that serves it
  - Wear shoes for a whole afternoon
  - text: Sleep through the night
    plan: sleep                 # or name it: a pacing activity, a graded task's goal,
                                # desensitisation, sleep or flare-up

topics:                         # optional: change what the selection rules chose
  include: []                   # module ids or topic names to add
  exclude: []                   # ... or to leave out

pacing:
  baseline_percent: 80          # start at this % of the average of `recent`
  step_percent: 10              # raise the target by this % each week
  weeks: 8                      # how long the plan runs (1 to 52)
  activities:
    - name: Walking
      unit: minutes             # minutes | repetitions | metres
      recent: [10, 12, 8, 11]   # what was managed on recent days before symptoms rose

desensitisation:
  area: right-foot              # one area from the list above
  textures: [silk, cotton wool, fleece, towel, corduroy]   # easiest first
  start_at: silk                # one of the textures; default: the first
  sessions_per_day: 3           # 1 to 12
  minutes_per_session: 5        # 1 to 60

graded_tasks:                   # ladders towards a goal: easiest step first
  - goal: Wear shoes for a whole afternoon
    steps:
      - Wear soft socks for 10 minutes
      - Wear slippers for 30 minutes
      - Wear shoes for 1 hour at home

sleep:
  problems: [falling-asleep]
{_wrap(model.SLEEP_PROBLEMS, "    ")}
  bedtime: "22:30"              # HH:MM, 24-hour clock; keep the quotes
  wake_time: "07:00"
  restricted_window: false      # true only if your clinician set these times as a sleep window

nutrition:
  patterns: []
{_wrap(model.NUTRITION_PATTERNS, "    ")}, or your own words
  notes:                        # free text, such as: Prefers small meals

flare_plan:
  warning_signs: [Pain spreads to new places]
  first_steps: [Drop back one pacing step for two days]
  call_if: [New weakness or numbness that spreads]

caregivers:                     # people who help at home; or delete this section
  - name: Sam
    relation: partner

grammatical_gender:             # for languages whose words change with it (Arabic); English ignores it
  patient:                      # feminine | masculine; empty: the language's usual form
  helper:                       # the caregiver edition's reader: feminine | masculine
"""
