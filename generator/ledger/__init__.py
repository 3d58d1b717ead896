"""Ledger and integrity stages: validated records as typed data, then checks across rows and files."""
