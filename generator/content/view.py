"""A read-only view of a profile for content: conditions and module bodies.

Content authors are not programmers, so an absent section should simply be
false and its lists empty: `'diabetic' in nutrition.patterns` must work whether
or not the profile has a nutrition section. The view gives every optional
section a falsy stand-in with empty values instead of `None`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.profile import model

# Stand-ins for sections a profile leaves out: every value empty or default.
_ABSENT_SECTIONS: dict[str, Any] = {
    "pacing": model.Pacing(),
    "desensitisation": model.Desensitisation(textures=()),
    "sleep": model.Sleep(),
    "nutrition": model.Nutrition(),
    "flare_plan": model.FlarePlan(),
}

# Names a condition or a body can use: one per top-level key of the profile, and the facts the
# model decides once from it (profile/model.py), so no module works them out its own way.
PROFILE_NAMES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(model.Profile) if f.name not in ("source", "warnings", "places")
) + ("diabetic", "heart", "chest", "hands", "feet", "injury", "limb_injury")
_DERIVED = frozenset(PROFILE_NAMES[-7:])


class SectionView:
    """A frozen dataclass seen read-only; false when the profile lacks the section."""

    __slots__ = ("_data", "_present")
    _data: Any
    _present: bool

    def __init__(self, data: Any, present: bool = True) -> None:
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_present", present)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return wrap(getattr(self._data, name))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the profile is read-only")

    def __bool__(self) -> bool:
        return self._present

    def __repr__(self) -> str:
        return f"SectionView({self._data!r}, present={self._present})"


def wrap(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return SectionView(value)
    if isinstance(value, tuple):
        return tuple(wrap(item) for item in value)
    return value


def profile_namespace(profile: model.Profile) -> dict[str, Any]:
    """Every top-level profile key as a name, absent sections as falsy stand-ins."""
    names: dict[str, Any] = {}
    for name in PROFILE_NAMES:
        value = getattr(profile, name)
        if name in _DERIVED:
            names[name] = bool(value)
        elif value is None and name in _ABSENT_SECTIONS:
            names[name] = SectionView(_ABSENT_SECTIONS[name], present=False)
        else:
            names[name] = wrap(value)
    return names
