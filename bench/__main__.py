"""`python -m bench` (or `make bench`): every benchmark, figures and ratios printed."""

from . import export_big, extract_big, layer_build, window_query

if __name__ == "__main__":
    window_query.run()
    print()
    layer_build.run()
    print()
    extract_big.main()
    print()
    export_big.main()
