"""The bare reference for `bench/serve.py`: the same queries as zuofeng's hot pages in a minimal Django
project — no login, no middleware, no templates, no permissions — served by the same gunicorn, so
the product's cost over the bare stack can be read as a ratio on any machine."""
