"""Mrezha's command line and process supervision (the composition roots live in web/ and workers/)."""
