"""`python -m generator` runs the handbook command (install.sh uses it inside a virtual environment)."""

from generator.cli.main import main

main()
