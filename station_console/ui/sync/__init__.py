"""sync screen."""
