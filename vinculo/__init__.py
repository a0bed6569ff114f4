"""Vínculo: an open-source customer experience management platform."""
