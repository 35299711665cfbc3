"""Settings: the project file, and its one merge with command-line and editor settings."""
