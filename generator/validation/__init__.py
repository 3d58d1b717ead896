"""Validate stage: each record file against its schema (Frictionless, JSON Schema), cells, dates."""
