"""Hand-written YAML read with line numbers, and field checks that collect every problem of a file."""
