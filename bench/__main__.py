"""`python -m bench` (or `make bench`): every benchmark, figures and ratios printed."""

from . import window_query

if __name__ == "__main__":
    window_query.run()
