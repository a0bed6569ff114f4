"""Telco Ibérica, the demo company: for demos, screenshots and the product's first run.

``load_demo`` (in ``loader``) builds it; ``manage.py demo_data`` is the command line.
"""
