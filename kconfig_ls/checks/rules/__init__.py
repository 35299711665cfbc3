"""One module per rule; each defines `RULE` and documents it in its docstring."""
