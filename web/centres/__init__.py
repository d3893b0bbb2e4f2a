"""Centres: the directory, registration, each centre's profile and the commands on it."""
