"""How dates read on the page, per language (``FORMAT_MODULE_PATH``).

Only what differs from Django's own formats for the language is here; the rest
(and every input format) falls through to Django's.
"""
