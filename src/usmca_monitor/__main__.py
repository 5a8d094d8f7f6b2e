"""`python -m usmca_monitor` runs the command line."""

from usmca_monitor.cli import main

main()
