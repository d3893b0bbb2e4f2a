"""The network: who chairs it now and next, the rotation, the handovers and the annual meetings."""
