"""Rubric profiles and the language's word lists: data files, installed as ``scoring.rules``."""
