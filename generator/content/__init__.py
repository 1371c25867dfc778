"""The content library: modules and topics, `::: blocks`, `when` conditions, the sandbox, selection."""
