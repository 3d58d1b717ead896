"""Standards: the rule catalogue, schemas, vocabulary and worked cases read from standards/."""
