"""Spreadsheets in and out: ``export`` (CSV/XLSX downloads, the one formula neutraliser),
``reading`` (uploads within limits), ``imports`` (declarative import specs, all or nothing)."""
