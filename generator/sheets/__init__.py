"""Workbooks for secretaries: a branch's records as an .xlsx template, and a filled workbook back to canonical CSV.

CSV in Git stays the source of truth; the workbook is only the exchange format. layout.py says which sheet
holds which table and how a column is headed; template.py writes; workbook.py reads; cells.py turns one cell
back into CSV text; tables.py rebuilds a CSV file; importer.py runs the whole import and the check.
"""
