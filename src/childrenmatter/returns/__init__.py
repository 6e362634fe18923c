"""Statutory returns: SSDA903 and the CIN census written from, and read into, the dataset.

Plain Python over Polars with no Django import, so an authority on another case system
can run it on its own files.
"""
