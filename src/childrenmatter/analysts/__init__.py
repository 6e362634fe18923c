"""The analysts' pages: check returns before they are sent, and download them."""
