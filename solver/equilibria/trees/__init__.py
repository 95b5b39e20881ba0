"""solver/equilibria/trees."""
