"""Site: statistics, pages, open data, the MkDocs adapter and the atomic site writer."""
