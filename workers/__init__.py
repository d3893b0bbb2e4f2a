"""Long-running loops: the relay (store -> bus) and the projector (bus -> read models)."""
