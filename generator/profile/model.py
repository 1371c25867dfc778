"""The patient profile as typed, frozen data (format version 1).

These classes mirror ../shared/profile-example.yaml key for key. `load.py`
builds them from YAML after validation; every later stage reads them and none
changes them. Optional sections are `None` when the profile leaves them out, so
templates can test `{% if profile.sleep %}` and leave no empty heading behind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from generator.errors import Diagnostic

Edition = Literal["patient", "caregiver"]
EDITIONS: tuple[Edition, ...] = get_args(Edition)  # the one list of editions; the Literal is its type
Paper = Literal["A4", "Letter"]
Unit = Literal["minutes", "repetitions", "metres"]

SYMPTOMS: tuple[str, ...] = (
    "burning", "shooting", "electric", "stabbing", "pins-and-needles", "numbness",
    "allodynia", "cold-sensitivity", "heat-sensitivity", "itching", "cramping",
)
_SIDED = ("shoulder", "upper-arm", "forearm", "hand", "hip", "thigh", "knee", "lower-leg", "foot")
AREAS: tuple[str, ...] = (
    "head", "face", "neck", "chest", "abdomen", "upper-back", "lower-back", "pelvis",
    *(f"{side}-{part}" for side in ("left", "right") for part in _SIDED),
)
SLEEP_PROBLEMS: tuple[str, ...] = ("falling-asleep", "night-waking", "early-waking", "daytime-sleepiness")
# The example says "vegetarian, vegan, halal, kosher, diabetic, low-sodium, ...": the list is
# open-ended, so these are the patterns the content knows; others are accepted and shown as text.
NUTRITION_PATTERNS: tuple[str, ...] = (
    "vegetarian", "vegan", "halal", "kosher", "diabetic", "low-sodium", "gluten-free",
    "lactose-free", "low-fat", "renal",
)
UNITS: tuple[Unit, ...] = ("minutes", "repetitions", "metres")
PAPERS: tuple[Paper, ...] = ("A4", "Letter")


@dataclass(frozen=True)
class PrintOptions:
    paper: Paper = "A4"
    large_print: bool = False
    duplex: bool = False


@dataclass(frozen=True)
class ServiceLine:
    """A phone line the handbook prints by name: a crisis line or a health advice line."""

    name: str
    number: str


@dataclass(frozen=True)
class Clinic:
    name: str | None = None
    phone: str | None = None
    clinician: str | None = None
    next_review: dt.date | None = None
    country: str | None = None  # ISO 3166-1 alpha-2: chooses the emergency and crisis numbers printed
    emergency_number: str | None = None  # overrides the country's emergency number
    crisis_line: ServiceLine | None = None  # overrides the country's crisis line


@dataclass(frozen=True)
class Condition:
    cause: str | None = None
    symptoms: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    sleep_affected: bool = False
    mood_affected: bool = False


@dataclass(frozen=True)
class Topics:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    name: str
    unit: Unit
    recent: tuple[float, ...]


@dataclass(frozen=True)
class Pacing:
    activities: tuple[Activity, ...] = ()
    baseline_percent: float = 80
    step_percent: float = 10
    weeks: int = 8


@dataclass(frozen=True)
class Desensitisation:
    textures: tuple[str, ...]
    area: str | None = None
    start_at: str | None = None  # None: the first texture
    sessions_per_day: int = 3
    minutes_per_session: int = 5


@dataclass(frozen=True)
class GradedTask:
    goal: str
    steps: tuple[str, ...]


# What a goal's `plan:` may name besides a pacing activity (its name) or a graded task (its goal).
PlanKind = Literal["desensitisation", "sleep", "flare-up"]
PLAN_KINDS: tuple[PlanKind, ...] = get_args(PlanKind)


class Goal(str):
    """One goal in the person's own words, and the plan that serves it when the profile names one.

    A goal is its text: content, page templates and comparisons see the words as typed, as
    they did when goals were plain strings, and `plan` rides along (`goal_plan` reads it).
    """

    __slots__ = ("plan",)
    plan: str | None  # a pacing activity's name, a graded task's goal, or one of PLAN_KINDS

    def __new__(cls, text: str, plan: str | None = None) -> Goal:
        goal = super().__new__(cls, text)
        object.__setattr__(goal, "plan", plan)
        return goal

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a goal is read-only")

    def __reduce__(self) -> tuple[type[Goal], tuple[str, str | None]]:
        return Goal, (str(self), self.plan)

    def __repr__(self) -> str:
        return f"Goal({str(self)!r}, plan={self.plan!r})"

    @property
    def text(self) -> str:
        return str(self)


def goal_plan(goal: str) -> str | None:
    """The plan a goal names with `plan:`; None for a goal without one (or a plain string)."""
    return goal.plan if isinstance(goal, Goal) else None


@dataclass(frozen=True)
class Sleep:
    problems: tuple[str, ...] = ()
    bedtime: dt.time | None = None
    wake_time: dt.time | None = None
    restricted_window: bool = False  # the clinician set bedtime to wake time as a restricted sleep window


@dataclass(frozen=True)
class Nutrition:
    patterns: tuple[str, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class FlarePlan:
    warning_signs: tuple[str, ...] = ()
    first_steps: tuple[str, ...] = ()
    call_if: tuple[str, ...] = ()


@dataclass(frozen=True)
class Caregiver:
    name: str
    relation: str | None = None


# Diabetes named in a cause (English, Spanish, Arabic; T1DM/T2DM), but not "pre-diabetes".
_DIABETES = re.compile(r"(?<![-\w])(?:diabet|diabét|t[12]\s?dm\b)|سكري", re.I)
_HEART = re.compile(r"heart|cardiac|cardí|coraz|قلب", re.I)
# A cause that names an injury or an operation (English, Spanish, Arabic), for the CRPS signs.
_INJURY = re.compile(r"injur|fractur|broke|break|\bcut|crush|sprain|surgery|operation|lesi[oó]n|fractura|"
                     r"cirug[ií]a|operaci[oó]n|corte|إصابة|كسر|جراحة", re.I)
_LIMBS = ("hand", "arm", "hip", "thigh", "knee", "leg", "foot")
_NO_DIABETES = re.compile(r"\b(?:no|not|without|sin)\s+(?:\w+\s+)?diab", re.I)


GrammaticalGender = Literal["feminine", "masculine"]
GRAMMATICAL_GENDERS: tuple[GrammaticalGender, ...] = get_args(GrammaticalGender)


@dataclass(frozen=True)
class Address:
    """The grammatical gender of the people a handbook speaks to, for languages whose words
    change with it (Arabic: "تشعر" to a man, "تشعرين" to a woman). None: the language's default."""

    patient: GrammaticalGender | None = None  # the reader of the patient edition
    helper: GrammaticalGender | None = None  # the reader of the caregiver edition


@dataclass(frozen=True)
class Profile:
    """One patient's profile. `source` is the file it came from, for messages."""

    handbook: int
    id: str
    preferred_name: str
    language: str
    edition: Edition = "patient"
    start_date: dt.date | None = None  # None: the build's --today
    print: PrintOptions = field(default_factory=PrintOptions)
    clinic: Clinic = field(default_factory=Clinic)
    condition: Condition = field(default_factory=Condition)
    goals: tuple[str, ...] = ()  # each a Goal when loaded: a str that may name its plan
    topics: Topics = field(default_factory=Topics)
    pacing: Pacing | None = None
    desensitisation: Desensitisation | None = None
    graded_tasks: tuple[GradedTask, ...] = ()
    sleep: Sleep | None = None
    nutrition: Nutrition | None = None
    flare_plan: FlarePlan | None = None
    caregivers: tuple[Caregiver, ...] = ()
    grammatical_gender: Address = field(default_factory=Address)
    source: str = ""
    warnings: tuple[Diagnostic, ...] = ()  # found while loading: printed with file:line, the build goes on
    # Where each value is written: field path ("goals[1]", "graded_tasks[0].steps[0]") -> (line,
    # column), so checks made after loading (build.check_profile) can still point at a line.
    places: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def reader_gender(self) -> GrammaticalGender | None:
        """The grammatical gender of whoever this edition is written to."""
        address = self.grammatical_gender
        return address.patient if self.edition == "patient" else address.helper

    @property
    def diabetic(self) -> bool:
        """Diabetes, from the nutrition patterns or the cause as written: one answer for every page.

        The urgent-help signs (a foot turning pale, low blood sugar) depend on it, so it is decided
        here once, not by each module's own reading of the free-text cause.
        """
        if self.nutrition is not None and "diabetic" in self.nutrition.patterns:
            return True
        cause = self.condition.cause or ""
        return bool(_DIABETES.search(cause)) and not _NO_DIABETES.search(cause)

    @property
    def hands(self) -> bool:
        """Pain in a hand or an arm: advice about gripping, typing and hand exercises applies."""
        return any(area.endswith(("hand", "arm")) for area in self.condition.areas)

    @property
    def feet(self) -> bool:
        """Pain in a foot or a leg, or diabetes (whose feet need daily checks): foot advice applies."""
        return self.diabetic or any(area.endswith(("foot", "leg")) for area in self.condition.areas)

    @property
    def chest(self) -> bool:
        """Pain in the chest: chest pain is never waved away as the usual pain."""
        return "chest" in self.condition.areas

    @property
    def injury(self) -> bool:
        """The cause names an injury or an operation."""
        return bool(_INJURY.search(self.condition.cause or ""))

    @property
    def limb_injury(self) -> bool:
        """Pain in a limb after an injury or an operation (not diabetes): the signs of complex
        regional pain syndrome are worth knowing. Decided once, as `diabetic` is."""
        in_limb = any(area.endswith(_LIMBS) for area in self.condition.areas)
        return in_limb and not self.diabetic and self.injury

    @property
    def heart(self) -> bool:
        """A heart cause (heart surgery, cardiac...): exercise is checked with the heart team, and
        chest pain with movement is never waved away. Decided once, as `diabetic` is."""
        return bool(_HEART.search(self.condition.cause or ""))
