"""The one Excel reader every import uses: it finds what is there and refuses what is hostile, quickly.

Importer-specific behaviour (what is saved, the messages on the pages) is tested with each
importer: tests/rectification/test_import_ledger_reading.py, tests/organisation/test_import.py.
"""

import io
import resource
import time
import tracemalloc

import pytest

from tests.core.xlsx_files import SHEET_CLOSE, SHEET_OPEN, book_bytes, parts_of, with_part, zip_bomb, zip_of
from zuofeng.core.imports import Column, ImportRefused, TableSpec, header_key, header_match
from zuofeng.core.safe_xlsx import NOT_EXCEL, Limits, archive_check, excel_read

SPEC = TableSpec(
    sheet="清单",
    columns=(
        Column("number", "序号", False, ("编号",)),
        Column("description", "问题描述", True, ("存在问题",)),
        Column("deadline", "完成时限", False, ("整改时限",)),
    ),
)
LIMITS = Limits(max_rows=10)
HEADER = ["序号", "问题描述*", "完成时限"]


def read(content: bytes, limits: Limits = LIMITS):
    return excel_read(io.BytesIO(content), SPEC, limits)


def refused(content: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(ImportRefused) as caught:
        read(content, limits)
    return caught.value.message


@pytest.mark.parametrize(
    "typed", ["问题描述", " 问题 描述 ", "问题\u3000描述", "问题\n描述", "问题描述*", "问题描述＊", "问题描述（必填）"]
)
def test_header_key_drops_what_people_add(typed):
    assert header_key(typed) == header_key("问题描述") == "问题描述"


def test_header_match_places_synonyms_and_bracketed_explanations():
    match = header_match(("编号", "存在问题", "整改时限（年月日）"), SPEC, row=3)
    assert (match.positions, match.errors, match.width) == ({"number": 0, "description": 1, "deadline": 2}, [], 3)


def test_header_match_refuses_unknown_and_repeated_headers_by_name():
    match = header_match(("序号", "问题描述", "牵头处室", "编号"), SPEC, row=2)
    assert [str(e) for e in match.errors] == [
        "第 2 行「牵头处室」：无法识别表头「牵头处室」；应为：序号、问题描述*、完成时限（请改成其中之一，或删除此列）",
        "第 2 行「编号」：「编号」与「序号」都是「序号」，请只保留一列",
    ]


def test_header_row_found_under_merged_title_rows():
    content = book_bytes(
        {
            "清单": [
                ["某局作风建设找差整改清单", None, None],
                ["填报单位：某局（盖章）", None, "填报日期：2018年9月"],
                [],
                HEADER,
                [1, "问题甲", "2018-12-31"],
            ]
        },
        merges={"清单": ["A1:C1", "A2:B2"]},
    )
    table = read(content)
    assert (table.sheet, table.header_row, table.errors) == ("清单", 4, [])
    assert table.rows == [(5, {"number": 1, "description": "问题甲", "deadline": "2018-12-31"})]


def test_sheet_chosen_by_its_headers_when_not_named_as_in_template():
    content = book_bytes({"说明": [["请按下表填写"]], "Sheet2": [HEADER, [1, "问题甲", None]]})
    assert read(content).sheet == "Sheet2"


def test_two_sheets_with_the_headers_refused_naming_both():
    content = book_bytes({"一科": [HEADER], "二科": [HEADER]})
    assert refused(content) == "工作表「一科」「二科」都像要导入的表，请把要导入的那张命名为「清单」，或删去其他几张。"


def test_trailing_notes_rows_set_aside_and_named():
    rows = [HEADER, [1, "问题甲", None], [], ["填表人：张三", None, "审核人：李四"], ["联系电话：0519-86300000"]]
    table = read(book_bytes({"清单": rows}))
    assert [n for n, _ in table.rows] == [2]
    assert table.notes_rows == [4, 5]
    assert table.notes_summary() == "已跳过表尾的填表说明行 2 行（第 4、5 行）"


def test_a_value_under_no_header_is_reported_not_dropped():
    table = read(book_bytes({"清单": [HEADER, [1, "问题甲", None, "多出来的内容"]]}))
    assert [str(e) for e in table.errors] == [
        "第 2 行「D 列」：此列有内容但没有表头，无法确定是哪一项；请补上表头或删除此列"
    ]


def test_row_cap_refuses_the_file():
    content = book_bytes({"清单": [HEADER, *[[n, f"问题{n}", None] for n in range(11)]]})
    assert refused(content) == "「清单」超过 10 行，超出单次导入的上限；请分成几个文件导入。"


def test_size_caps_refuse_before_reading():
    content = book_bytes({"清单": [HEADER, [1, "问题" * 2000, None]]})
    assert (
        refused(content, Limits(max_rows=10, max_bytes=1024))
        == "文件超过 1 KB，不能导入；请删除多余的工作表或分成几个文件。"
    )
    message = refused(content, Limits(max_rows=10, max_uncompressed=16 * 1024))
    assert message == "文件解压后超过 16 KB，超出导入上限；请删除多余的内容或分成几个文件。"


def test_a_part_compressed_too_well_is_refused_under_the_total_cap():
    sheet = SHEET_OPEN + b"<row>" + b" " * (20 * 1024 * 1024) + b"</row>" + SHEET_CLOSE
    content = with_part(book_bytes({"清单": [HEADER]}), "xl/worksheets/sheet1.xml", sheet)
    message = refused(content)
    assert message == "文件中的「xl/worksheets/sheet1.xml」压缩比异常，不像 Excel 保存的文件，不能导入。"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def test_zip_bomb_refused_in_under_a_second_without_memory_growth(bomb):
    assert len(bomb) < 4 * 1024 * 1024  # a few MB on disk, 2 GB inflated
    rss_before = _rss_kb()
    tracemalloc.start()
    start = time.perf_counter()
    message = refused(bomb, Limits(max_rows=5000))
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = _rss_kb() - rss_before
    print(
        f"\nzip bomb {len(bomb) / 1e6:.1f} MB → 2.1 GB: refused in {elapsed * 1000:.1f} ms, "
        f"tracemalloc peak {peak / 1024:.0f} KB, RSS growth {rss_growth} KB, "
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KB"
    )
    assert message == "文件解压后超过 100 MB，超出导入上限；请删除多余的内容或分成几个文件。"
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024
    assert rss_growth < 50 * 1024


def test_zip_bomb_that_lies_about_its_size_is_cut_off_at_the_declared_size():
    """Declared 500 KB, really 200 MB: zipfile stops at 500 KB and the CRC check fails."""
    liar = zip_bomb(200 * 1024 * 1024, template=book_bytes({"清单": [HEADER]}), declared=500 * 1024)
    tracemalloc.start()
    start = time.perf_counter()
    message = refused(liar)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nlying zip bomb: refused in {elapsed * 1000:.1f} ms, tracemalloc peak {peak / 1024:.0f} KB")
    assert message == NOT_EXCEL
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def _doctype_sheet(extra: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        + extra
        + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )


@pytest.mark.parametrize(
    "part, data",
    [
        ("xl/worksheets/sheet1.xml", _doctype_sheet()),
        ("xl/worksheets/sheet1.xml", _doctype_sheet().replace(b"<!DOCTYPE", b"<!-- c --><!doctype", 1)),
        ("xl/sharedStrings.xml", b'<?xml version="1.0"?><!DOCTYPE sst SYSTEM "file:///etc/passwd"><sst/>'),
        ("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-16"?><workbook/>'.encode("utf-16")),
        ("xl/worksheets/sheet1.xml", SHEET_OPEN + b'<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c>'),
    ],
    ids=["doctype-entities", "doctype-after-comment", "external-entity", "utf-16", "undefined-entity"],
)
def test_malformed_or_entity_xml_is_not_an_excel_file(part, data):
    content = with_part(book_bytes({"清单": [HEADER, [1, "问题甲", None]]}), part, data)
    assert refused(content) == NOT_EXCEL


def test_not_a_zip_and_a_zip_without_workbook_refused():
    assert refused(b"PK\x03\x04 not really") == NOT_EXCEL
    assert refused(zip_of({"word/document.xml": b"<w/>"})) == NOT_EXCEL


def test_archive_check_passes_the_template_sized_file():
    content = book_bytes({"清单": [HEADER, *[[n, f"问题{n}", "2018-12-31"] for n in range(10)]]})
    archive_check(io.BytesIO(content), LIMITS)
    assert set(parts_of(content)) >= {"xl/workbook.xml", "xl/worksheets/sheet1.xml"}


def test_example_rows_set_aside_and_not_counted_against_the_cap():
    spec = TableSpec(sheet="清单", columns=SPEC.columns, is_example=lambda values: values.get("number") == "示例")
    rows = [HEADER, ["示例", "示例问题", None], ["示例", "示例问题", None], *[[n, f"问题{n}", None] for n in range(10)]]
    table = excel_read(io.BytesIO(book_bytes({"清单": rows})), spec, LIMITS)
    assert (table.examples, len(table.rows), table.rows[0][0]) == (2, 10, 4)
