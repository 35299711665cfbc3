"""The file overlay: open editor buffers over the disk, the engine's only way to read a file."""
