"""Text detectors: code that finds things in a message's text or markup and knows nothing of
rules, policy or verdicts.

Each module answers one question about a string (where are the email addresses, phone
numbers, emoji, offensive words; is this GIF animated; how many blank lines does a reader
see) or gives the rules a view of the text to search: ``normalize`` undoes disguises and maps
every character back to where it was written, ``html_text`` is the readable text of
sanitized HTML, ``raw_html`` the markup as written. ``vocabulary`` reads the word and
phrase lists of each language (compliance/vocab/<language>/<topic>.txt), ``language`` tells
which language each sentence is written in, ``phrases`` and ``sentences`` match the lists.
The rules in compliance.rules turn what these find into findings; a module belongs here when
it could be tested without a policy or a RuleContext.
"""
