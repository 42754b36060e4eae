"""The errors parity cases through the Python path, in a process of their own (see parity_driver.py)."""
from parity_driver import main

main(['errors'])
