"""The analysis host (takes changes) and its immutable snapshots (answer questions)."""
