"""`python -m bench` (or `make bench`): every benchmark, figures and ratios printed; the issue's
bars for 1,000,000 events (bench.scale, with bench.browser) last, ending in their summary.

By name, alone: `python -m bench import [options]` (`make bench-import`), `eventmap import` of
1,000,000 synthetic ACLED rows against its bars (bench.import_big; also in the default run);
its exit status says whether it passed.

Opt-in, by name (not in the default run): `python -m bench load [options]` (`make bench-load`),
20 browser sessions scrubbing one server at once for a minute (bench.load_sessions); its exit
status says whether it passed."""

import sys

from . import export_big, extract_big, import_big, load_sessions, scale, window_query

OPT_IN = {"load": load_sessions.main}
BY_NAME = {**OPT_IN, "import": import_big.main}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        if sys.argv[1] not in BY_NAME:
            names = ", ".join(BY_NAME)
            sys.exit(f"python -m bench: unknown benchmark {sys.argv[1]!r} (by name: {names})")
        sys.exit(BY_NAME[sys.argv[1]](sys.argv[2:]))
    window_query.run()
    print()
    extract_big.main()
    print()
    export_big.main()
    print()
    import_big.main([])
    print()
    scale.main([])
