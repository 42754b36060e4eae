"""ops, broadcast, nn and autograd parity cases through the Python path (see parity_driver.py)."""
from parity_driver import main

main(['ops', 'nn', 'autograd'])
