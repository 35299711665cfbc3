"""kconfig-ls: a language server and linter for Kconfig and the code it switches."""

__version__ = "0.1.0"
