"""What a ruleset, a facts file and a result are: pure models, tree walks, intervals, fingerprints.

The bottom layer: it imports nothing of scoring but :mod:`scoring.errors` and :mod:`scoring.i18n`.
"""
