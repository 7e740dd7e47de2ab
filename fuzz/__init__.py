"""Fuzzing harnesses for scoring; run ``python fuzz/fuzz_loaders.py`` (see fuzz/README.md)."""
