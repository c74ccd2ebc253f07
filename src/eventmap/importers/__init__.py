"""Outside event formats (ACLED, UCDP GED, GDELT, plain tables) read into eventmap's schema.

Each module maps one concern of every format: `detect` which format a file is in, `codes` the
event-type and precision tables, `dates` the dates as real files write them, settled per file
by evidence. (The `eventmap import` command that joins them is still to come.)
"""
