"""`python -m bench` (or `make bench`): every benchmark, figures and ratios printed; the issue's
bars for 1,000,000 events (bench.scale, with bench.browser) last, ending in their summary.

Opt-in, by name (not in the default run): `python -m bench load [options]` (`make bench-load`),
20 browser sessions scrubbing one server at once for a minute (bench.load_sessions); its exit
status says whether it passed."""

import sys

from . import export_big, extract_big, load_sessions, scale, window_query

OPT_IN = {"load": load_sessions.main}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        if sys.argv[1] not in OPT_IN:
            sys.exit(
                f"python -m bench: unknown benchmark {sys.argv[1]!r} (opt-in: {', '.join(OPT_IN)})"
            )
        sys.exit(OPT_IN[sys.argv[1]](sys.argv[2:]))
    window_query.run()
    print()
    extract_big.main()
    print()
    export_big.main()
    print()
    scale.main([])
