"""`python -m pledgewatch` runs the CLI."""
from pledgewatch.cli import main

main()
