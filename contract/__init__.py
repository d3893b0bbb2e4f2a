"""The public stream contract: the envelope, its headers (one msgspec definition), subjects and
versions; the AsyncAPI and JSON Schema documents derived from them."""
