"""Module bodies and plan partials to safe HTML; the page templates' Jinja environment."""
