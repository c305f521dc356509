"""Old home of the CSV import tests, now tests/people/csv_import/; kept only for tests/api/test_imports.py."""
