"""The generated marketplace of a million messages that the scale benchmarks run on.

`plan.py` decides who talks to whom and when (pure Python, deterministic for a seed),
`load.py` writes it into PostgreSQL with COPY, `targets.py` finds the accounts and objects
the benchmarks look at, and `pages.py` lists the pages they time.
"""
