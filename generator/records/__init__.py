"""Records: find, read and validate records/, then build the typed ledger and check its integrity."""
