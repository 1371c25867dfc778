"""The studio: `handbook serve`, a local web app for clinicians and translators.

A dashboard of the project's profiles, a live preview of each handbook, a form
editor for profiles and a page per language for translators. It is a side tool
over the same library functions as the command line: it checks profiles with
`check.check_profile`, renders handbooks in memory with `build.handbooks.render_files` and
never writes anything but the profile a clinician saves. See docs/studio.md.
"""
