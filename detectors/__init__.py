"""Detection: a one-pass pre-filter, Presidio recognisers in candidate windows, NER on prose."""
