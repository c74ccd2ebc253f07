"""Outside event formats (ACLED, UCDP GED, GDELT, plain tables) read into eventmap's schema.

Each module maps one concern of every format: `codes` the event-type and precision tables,
`dates` the dates as real files write them, settled per file by evidence.
"""
