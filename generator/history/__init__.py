"""History: every Git access (one door, history.git), releases, changes and the history audit."""
