"""Accounts, managed by the secretariat, and the session pages: signing in and out, one's own password."""
