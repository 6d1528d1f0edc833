"""Moderation: what the marketplace does with the policy engine's verdicts.

Records every violation with its message, restricts sellers who keep breaking the rules,
lets administrators approve, edit or reject held messages in the review queue, and serves
the live check that shows a seller the problems while they write. The engine itself, with
no knowledge of the database, is the ``compliance`` package.
"""
