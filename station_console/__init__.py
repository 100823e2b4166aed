"""Station Console: the comprehensive command room workstation of a police station."""

__version__ = "0.1.0"
APP_NAME = "StationConsole"
