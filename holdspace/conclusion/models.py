"""Models of the conclusion app."""
