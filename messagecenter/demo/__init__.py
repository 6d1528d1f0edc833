"""Demo data: `python manage.py seed_demo` builds a small marketplace to try everything on.

Not for production: its people log in with a password printed in the README. It writes
only through the services every other way in uses, so the demo follows the policy.
"""
