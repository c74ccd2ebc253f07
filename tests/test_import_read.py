"""Reading text tables whatever shape they arrive in: headers with line breaks, blank lines
before the header, a header alone, a stray quote in a big file, rows of the wrong width, and
tables with no rows at all."""

from __future__ import annotations

import json
import re

import pytest

from eventmap.errors import EventmapError
from eventmap.importers.run import import_file
from eventmap.model import COLUMNS

ROW = "2020-01-0{},Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,Invented: march {}."


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_header_with_a_line_break_in_a_quoted_name_keeps_the_lines_right(tmp_path, resolver):
    path = _write(
        tmp_path,
        "quoted.csv",
        'date,event_type,sub_event_type,actor1,latitude,longitude,"notes\n(free text)"\n'
        + ROW.format(1, 1)
        + "\n"
        + "2020-02-30,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,Invented.\n"
        + ROW.format(3, 3)
        + "\n",
    )
    table, report = import_file(path, resolver=resolver)
    assert (report.rows, report.imported) == (3, 2)
    assert report.skipped == [
        {"record": 2, "line": 4, "reason": "event_date '2020-02-30' is not a real date"}
    ]
    kept = [json.loads(f) for f in table.column("source_fields").to_pylist()]
    assert kept == [
        {"notes\n(free text)": "Invented: march 1."},
        {"notes\n(free text)": "Invented: march 3."},
    ]


def test_rows_of_the_wrong_width_are_skipped_on_their_own_line(tmp_path, resolver):
    path = _write(
        tmp_path,
        "widths.csv",
        "date,event_type,sub_event_type,actor1,latitude,longitude,notes\n"
        + ROW.format(1, 1)
        + "\n"
        + '2020-01-02,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,"two\nlines"\n'
        + ROW.format(3, 3)
        + ",an extra field\n"
        + "2020-02-30,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,Invented.\n",
    )
    table, report = import_file(path, resolver=resolver)
    assert report.rows == 4 and report.imported == 2
    assert report.skipped == [
        {"record": 3, "line": 5, "reason": "8 fields where the header has 7"},
        {"record": 4, "line": 6, "reason": "event_date '2020-02-30' is not a real date"},
    ]
    ids = table.column("event_id").to_pylist()
    assert len(set(ids)) == 2 and all(re.fullmatch(r"widths-[0-9a-f]{12}", i) for i in ids)


def test_blank_lines_before_the_header_are_not_the_header(tmp_path, resolver):
    path = _write(
        tmp_path,
        "blank.csv",
        "\n\r\ndate,event_type,sub_event_type,actor1,latitude,longitude,notes\n"
        + ROW.format(1, 1)
        + "\n2020-13-01,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,Invented.\n",
    )
    table, report = import_file(path, resolver=resolver)
    assert (report.rows, report.imported) == (2, 1)
    assert report.skipped[0]["line"] == 5
    assert table.column("actor1").to_pylist() == ["Protesters (Iraq)"]


def test_a_header_alone_is_a_table_of_no_events(tmp_path, resolver):
    path = _write(tmp_path, "header.csv", "event_date,latitude,longitude")
    table, report = import_file(path, resolver=resolver)
    assert (table.num_rows, report.rows, report.imported, report.skipped) == (0, 0, 0, [])
    with pytest.raises(EventmapError, match="no column is an event field"):
        import_file(_write(tmp_path, "word.csv", "hello"), resolver=resolver)
    with pytest.raises(EventmapError, match="no header row naming columns"):
        import_file(_write(tmp_path, "commas.csv", ",,\n1,2,3\n"), resolver=resolver)


@pytest.mark.parametrize(
    "header",
    [
        "date,location",  # place names to look up, and no rows to look them up for
        "TIME_PRECISION,location,notes",  # no date column: every row skipped, none to skip
        ",".join(COLUMNS),  # eventmap's own export of no events
    ],
)
def test_tables_with_no_rows_import_as_no_events(tmp_path, resolver, header):
    path = _write(tmp_path, "none.csv", header + "\n")
    table, report = import_file(path, resolver=resolver)
    assert (table.num_rows, report.rows, report.skipped) == (0, 0, [])


def test_a_precision_column_without_a_date_column_skips_every_row(tmp_path, resolver):
    path = _write(tmp_path, "nodate.csv", "time_precision,location,notes\n1,Baghdad,Invented.\n")
    _, report = import_file(path, resolver=resolver)
    assert report.skipped == [{"record": 1, "line": 2, "reason": "no date column"}]


def test_a_stray_quote_in_a_big_file_is_one_cut_off_record_not_a_crash(tmp_path, resolver):
    rows = ["event_id,event_date,latitude,longitude,notes,fatalities"]
    rows.append('a1,2020-01-01,1,2,"a stray quote runs to the end of the file,3')
    rows += [
        f"b{i},2020-01-02,1,2,note {i} long enough to pass 128 KiB in all,0" for i in range(3000)
    ]
    path = _write(tmp_path, "stray.csv", "\n".join(rows) + "\n")
    assert path.stat().st_size > 128 * 1024  # more than one field may hold in Python's csv
    table, report = import_file(path, resolver=resolver)
    assert (report.rows, report.imported) == (1, 0)
    assert report.skipped == [
        {
            "record": 1,
            "line": 2,
            "reason": "the file ends inside a quoted field: this record is cut off "
            "(5 fields where the header has 6)",
        }
    ]


def test_the_summary_counts_one_record_as_one(tmp_path, resolver):
    path = _write(
        tmp_path,
        "one.csv",
        "date,event_type,sub_event_type,actor1,latitude,longitude,notes\n" + ROW.format(1, 1),
    )
    _, report = import_file(path, resolver=resolver)
    assert report.lines()[1] == "  1 record: 1 imported, 0 skipped"


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_blank_lines_between_records_count_in_the_lines_given(tmp_path, resolver, end):
    text = end.join(
        [
            "date,event_type,sub_event_type,actor1,latitude,longitude,notes",
            ROW.format(1, 1),
            "",
            '2020-01-02,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,"two',
            'lines"',
            "",
            "",
            "2020-02-30,Protests,Peaceful protest,Protesters (Iraq),33.3,44.4,Invented.",
            "",
        ]
    )
    _, report = import_file(_write(tmp_path, "gaps.csv", text + end), resolver=resolver)
    assert (report.rows, report.imported) == (3, 2)
    assert report.skipped == [
        {"record": 3, "line": 8, "reason": "event_date '2020-02-30' is not a real date"}
    ]
