"""Screens and widgets: the only package that imports textual."""
