"""Quality gates for the content library and the library website for clinicians (side tools)."""
