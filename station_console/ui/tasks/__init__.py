"""tasks screen."""
