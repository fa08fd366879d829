"""Widgets shared by several screens: the post list, relative times, post cards."""
