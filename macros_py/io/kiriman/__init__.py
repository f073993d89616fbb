"""kiriman."""
