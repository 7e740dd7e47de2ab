"""Scoring itself: the compiled plan of a ruleset, ``score()``, and the checks of a whole ruleset.

Pure: no files, no terminal. It imports :mod:`scoring.model` and :mod:`scoring.methods` only.
"""
