"""Translation of content and interface: segmenting modules into messages, applying and managing catalogues."""


def N_(text: str) -> str:  # noqa: N802 - the name gettext's extractors know
    """Marks an interface string for `handbook i18n extract`; whoever shows it translates it there.

    Used where a string is made before anyone knows the language it will be shown in: a form
    label, a save refusal of profile/edit.py that the studio shows in its own language.
    """
    return text
