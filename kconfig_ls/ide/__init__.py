"""The IDE layer: editor features as plain data, each a function of one snapshot.

One module per feature (hover, navigation, symbols, completion, folding,
links, diagnostics); `kconfig_ls.analysis.snapshot.Analysis` calls them on
its model, code index and overlay and dispatches on the file kind. Nothing
here knows about LSP.
"""
