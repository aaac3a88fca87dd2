"""Reading: bytes in, a Report out (values, each cell's state, origin and raw text, findings). Pure.

``read`` sniffs the format and dispatches to a reader in ``formats/`` (text, HTML, PDF, DOCX), which
turns bytes into rows of cells; ``interpret`` turns rows into a Report for every format alike:
``metadata`` (agency, year), ``sections`` (the parts), ``tables``/``tokens``/``match`` (rows by
label), ``recovery/`` (digits that ran together), ``checks`` (identities 1–5, blanks, provenance).
"""
