"""HR exports: a report as plain data, written as CSV, XLSX or PDF by a Celery job.

- ``report``: what an export contains (``ExportReport``: a summary and sections of
  columns and rows, already suppressed where the HR report suppresses), nothing else;
- ``source``: the one adapter from the HR report's selector to an ``ExportReport``;
- ``csv_writer``, ``xlsx_writer``, ``pdf_writer``: one writer per format, each
  reporting progress row by row;
- ``jobs``: the ``ExportJob`` lifecycle (start, claim, run, sweep, expire);
- ``links``: signed, expiring download links.
"""
