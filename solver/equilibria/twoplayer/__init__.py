"""solver/equilibria/twoplayer."""
