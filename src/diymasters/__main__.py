"""Run the CLI as `python -m diymasters`."""

from diymasters.entry import main

main()
