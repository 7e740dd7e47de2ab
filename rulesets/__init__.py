"""The shipped rulesets: installed with the package as ``scoring.rulesets`` (see the registry)."""
