"""Plain-Python domain: enums, code tables and rules. No Qt, no SQL."""
