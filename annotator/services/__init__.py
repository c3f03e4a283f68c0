"""Service functions shared by the CLI and the UI: one session per unit of work, no Qt."""
