"""Secret calendar subscription URLs for programs that cannot sign in."""
