"""Publishing: the static site, charts, downloads and the local server."""
