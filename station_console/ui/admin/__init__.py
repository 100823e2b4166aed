"""admin screen."""
