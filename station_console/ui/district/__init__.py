"""district screen."""
