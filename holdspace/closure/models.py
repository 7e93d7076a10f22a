"""Models of the closure app."""
