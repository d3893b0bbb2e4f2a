"""The practice library: sharing, revising, endorsing and adopting good practices, and their transfer path."""
