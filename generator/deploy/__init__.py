"""Serving and publishing a built site: the nginx configuration (nginx.py, csp.py) and the atomic upload."""
