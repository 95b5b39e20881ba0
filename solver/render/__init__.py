"""solver/render."""
