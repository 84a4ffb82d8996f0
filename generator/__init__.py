"""Porte-voix: the build side of the campaign site kit (content model, pages, images, calendars)."""
