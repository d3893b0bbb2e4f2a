"""Mrezha's domain: aggregates, their events and the rules they keep.

Imports nothing of ours; only the standard library and ``eventsourcing.domain``.
"""
