"""Run the CLI as `python -m diymasters`."""

from diymasters.cli import main

main()
