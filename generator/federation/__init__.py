"""zhibu federate: a provincial portal over many colleges' published open data packages.

    registry → harvest (concurrent, conditional, bounded) → verify (Frictionless, versions, consistency)
             → aggregate (DuckDB over the published CSVs) → portal pages → site engine

`portal.federate()` is the table of contents; each stage is a module of this folder.
"""
