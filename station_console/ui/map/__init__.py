"""map screen."""
