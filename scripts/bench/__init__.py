"""`make bench`: the scale benchmark (issue 9). See scripts/bench/run.py."""
