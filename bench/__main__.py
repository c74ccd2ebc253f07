"""`python -m bench` (or `make bench`): every benchmark, figures and ratios printed; the issue's
bars for 1,000,000 events (bench.scale, with bench.browser) last, ending in their summary."""

from . import export_big, extract_big, scale, window_query

if __name__ == "__main__":
    window_query.run()
    print()
    extract_big.main()
    print()
    export_big.main()
    print()
    scale.main([])
