"""Excel and CSV exports: row generators (`rows`), one renderer (`render`), assembled workbooks."""
