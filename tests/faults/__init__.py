"""Fault tests: real processes killed, database and Redis connections cut (issue #19)."""
