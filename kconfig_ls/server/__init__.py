"""The LSP server: the only layer that knows about LSP, pygls and JSON-RPC."""
