"""Spreadsheets in and out: ``export`` (CSV/XLSX downloads, the one formula neutraliser),
``reading`` (uploads within limits), ``imports`` (declarative import specs, all or nothing),
``expat_sheet`` (the exact XLSX sheet reader behind ``core.spreadsheet.worksheet_rows``)."""
