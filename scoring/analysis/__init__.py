"""What is built on ``score()``: gap, diff, verify, batch, a ruleset's worked examples."""
