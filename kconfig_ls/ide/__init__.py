"""The IDE layer: editor features as plain data, behind `analysis.AnalysisHost`.

One module per feature (hover, navigation, symbols, completion, folding,
links, diagnostics); `analysis` owns the model and the open documents and
dispatches on the file kind. Nothing here knows about LSP.
"""
