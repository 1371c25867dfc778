"""Which modules a profile's handbook holds, in which chapters.

A module is chosen when it is written for the profile's edition and its `when`
condition holds; `topics.include` adds topics or modules the conditions left
out and `topics.exclude` removes them (exclude wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.content.conditions import ConditionError
from generator.content.library import Library, Module, Topic
from generator.content.services import LocalServices, local_services
from generator.content.sources import Source
from generator.content.view import profile_namespace
from generator.profile.model import Profile


@dataclass(frozen=True)
class Chapter:
    topic: Topic
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class Outline:
    chapters: tuple[Chapter, ...]
    sources: tuple[Source, ...] = ()  # the bibliography entries its modules cite
    services: LocalServices = LocalServices()  # the emergency and crisis numbers it prints

    @property
    def modules(self) -> tuple[Module, ...]:
        return tuple(m for chapter in self.chapters for m in chapter.modules)

    @property
    def module_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules)


def _holds(module: Module, names: dict[str, Any]) -> bool:
    assert module.when is not None
    try:
        return module.when.evaluate(names)
    except ConditionError as error:
        raise error.at(module.path, module.line_of("when"), module.id) from None


def select_modules(profile: Profile, library: Library) -> Outline:
    """The ordered chapters of one profile's handbook, and the local numbers it prints."""
    names = profile_namespace(profile)
    include = set(profile.topics.include)
    exclude = set(profile.topics.exclude)
    chapters: list[Chapter] = []
    for topic in library.topics:
        chosen = []
        for module in library.modules:
            if module.topic != topic.id or not module.for_edition(profile.edition):
                continue
            if module.id in exclude or topic.id in exclude:
                continue
            forced = module.id in include or topic.id in include
            if forced or module.when is None or _holds(module, names):
                chosen.append(module)
        if chosen:
            chapters.append(Chapter(topic, tuple(chosen)))
    return Outline(tuple(chapters), library.cited_by(tuple(m for c in chapters for m in c.modules)),
                   local_services(profile.clinic, library.services))
