"""Eve's test suite (a package so `tests.support` and `tests.fakes` import by name, never by path)."""
