"""A policy brief from a scenarios sweep: figures, ``brief.html`` and ``brief.pdf``.

The brief is first described as a list of blocks (:mod:`.content`: headings, paragraphs,
the findings table, figures with captions, the method box, the assumptions read from
``docs/ODD.md`` by :mod:`.assumptions`), then rendered twice: as self-contained HTML
(:mod:`.html`) and as an A4 PDF (:mod:`.pdf`). The numbers come from a stored sweep
(:mod:`.data`), the charts from :mod:`.charts`; every sentence from :mod:`experiments.i18n`.
:func:`.write.write_brief` writes the brief's folder. (This package imports nothing itself, so
that importing one of its modules loads only what that module needs.)
"""

