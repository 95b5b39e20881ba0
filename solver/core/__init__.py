"""solver/core."""
