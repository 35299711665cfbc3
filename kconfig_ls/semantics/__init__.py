"""The semantic layer: the Kconfig model from per-file contributions, symbol tables, the code index."""
