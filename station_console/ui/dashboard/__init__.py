"""dashboard screen."""
