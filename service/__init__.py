"""Briefs: parallel English/Spanish news briefs."""

__version__ = "0.1.0"
