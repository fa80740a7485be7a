"""Web views of organisations, one module per page group; ``urls.py`` names each view."""
