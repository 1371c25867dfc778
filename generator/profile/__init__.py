"""The patient profile: the typed model, loading and validation, the JSON Schema, the starter file."""
