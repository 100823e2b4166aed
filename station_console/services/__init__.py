"""Use cases over the store. They return plain data; no Qt."""
