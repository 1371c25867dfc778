"""The `handbook` command: thin click shells over the library functions."""
