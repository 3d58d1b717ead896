"""Load stage: find the repository, walk records/ safely, read every file strictly, screen for personal data."""
