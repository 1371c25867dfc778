"""The composed handbook: what compose makes and every writer (pages, print, PDF) reads.

Everything a writer needs is computed once, so the website and the printed book are
two views of the same frozen data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.i18n.translator import ModuleStatus
from generator.language import Formats, Language
from generator.plans.compute import Plans
from generator.profile.model import Profile
from generator.render.module import RenderedModule


@dataclass(frozen=True)
class ChapterPage:
    number: int
    topic_id: str
    title: str
    filename: str
    modules: tuple[RenderedModule, ...]
    fallbacks: frozenset[str] = frozenset()  # ids of modules shown in the source language
    key_points: tuple[str, ...] = ()  # the 1-3 points the chapter opens with (topics.yaml), in the reader's language
    key_points_in_english: bool = False  # not all translated, so shown in the source language


@dataclass(frozen=True)
class Handbook:
    profile: Profile
    plans: Plans
    chapters: tuple[ChapterPage, ...]
    today: dt.date
    language: Language  # resolved once, from profile.language
    title: str
    has_pdf: bool
    fallbacks: tuple[ModuleStatus, ...] = ()  # modules not fully translated, so shown in English

    @property
    def start_date(self) -> dt.date:
        return self.plans.start

    @property
    def formats(self) -> Formats:
        return self.language.formats

    @property
    def direction(self) -> str:
        return self.language.direction

    @property
    def paper_css(self) -> str:
        return "letter" if self.profile.print.paper == "Letter" else "A4"

    @property
    def css_classes(self) -> str:
        classes = [f"edition-{self.profile.edition}", f"paper-{self.profile.print.paper.lower()}"]
        if self.profile.print.large_print:
            classes.append("large-print")
        if self.profile.print.duplex:
            classes.append("duplex")
        return " ".join(classes)

    @property
    def caregiver_names(self) -> str:
        return ", ".join(c.name for c in self.profile.caregivers)

    @property
    def language_name(self) -> str:
        """The reader's language named in itself ("español"), for the untranslated-module notice."""
        return self.language.name

    @property
    def urgent_title(self) -> str:
        for chapter in self.chapters:
            if chapter.topic_id == "urgent-help":
                return chapter.title
        return ""
