"""The semantic layer: the Kconfig model from per-file contributions, symbol tables per world, the code index."""
