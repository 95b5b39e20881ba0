"""solver/equilibria/nplayer."""
