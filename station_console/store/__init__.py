"""The station store: tables, the connection factory, migrations and repositories."""
