"""Printed sheets made of text and lines (the attendance sheet): real text in the PDF, so that
it can be searched, read aloud and copied, in the kit's own font."""
