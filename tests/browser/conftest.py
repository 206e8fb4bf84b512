"""Browser fixtures live in tests/conftest.py, shared with every app's browser tests."""
