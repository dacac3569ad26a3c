"""The Laporan Hasil SKM: the official report document of a unit or of the city, Word and PDF.

- `basis`: which frozen snapshots (or, for a period still open, which live responses) a report
  reads, its rule set, and each unit's pooled tally, breakdowns and population;
- `unit_data`, `city_data`: everything a report prints, as dataclasses, from the shared owners
  (`reports.selectors`, `reports.tallies`, `reports.snapshots`, `reports.display`,
  `reports.dashboards`, `reports.followup_progress`);
- `suggestions`: citizens' suggestions grouped by element (keyword rules), with personal data
  removed from quotes;
- `texts`: the editable texts and their Indonesian defaults;
- `charts`: PNG charts (matplotlib, Agg); `docx_kit`: python-docx helpers;
- `unit_document`, `city_document`: the chapters; `pdf`: LibreOffice makes the PDF from the .docx;
- `generate`: one entry point for the command, the background job and the tests.
"""
