"""Qualitas: an open-source quality management system."""

__version__ = "0.1.0"
