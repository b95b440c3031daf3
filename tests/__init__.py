"""diymasters tests: one file per module, against real SQLite and a real CLI process."""
