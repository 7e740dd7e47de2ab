"""`python -m scoring` → cli.main()."""

from scoring.cli import main

main()
