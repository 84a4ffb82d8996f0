"""``python -m generator`` is the ``porte-voix`` command."""

from .cli import main

main()
