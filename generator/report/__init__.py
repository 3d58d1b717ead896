"""Report: a check run as text, JSON, GitHub workflow commands or a job summary (strings only)."""
