"""board screen."""
