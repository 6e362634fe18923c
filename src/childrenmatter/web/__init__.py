"""Pages: the layout every page shares and the authority's home page."""
