"""WSGI entry point: `gunicorn wsgi:app` (the Procfile adds --preload: built once, then forked)."""
import gc

from app import create_app

app = create_app()
# What the app built lives as long as the process: move it out of the garbage collector's reach.
# Full collections walked all of it, up to ~100 ms a pass in the middle of a request (docs/BENCHMARKS.md,
# "Load"), and touched the pages the forked workers share with the master.
gc.freeze()
