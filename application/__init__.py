"""The service layer: ``MrezhaApplication`` and one class of commands per aggregate family."""
