"""Moved to tests/people/csv_import/helpers.py; delete once tests/api/test_imports.py imports from there."""
from tests.people.csv_import.helpers import *  # noqa: F403
