from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from zuofeng.core.ids import MAX_ID

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Past this page the offset of any list we hold is empty anyway; the bound keeps a typed number
# like 99999999999999999999 from reaching the database as an OFFSET it cannot hold (a 500).
MAX_PAGE = 1_000_000


class Paged(PageNumberPagination):
    """Page-numbered lists with the parameters described in Chinese; 50 rows a page, at most 500."""

    class PageIn(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，从 1 开始，最大 {MAX_PAGE}")
        # A larger page_size is served as MAX_PAGE_SIZE rows; only a number past bigint is refused.
        page_size: int | None = Field(
            None, ge=1, le=MAX_ID, description=f"每页条数，默认 {PAGE_SIZE}，最多 {MAX_PAGE_SIZE}"
        )

    Input = PageIn  # ninja reads `Input`; the schema keeps a name of its own in the OpenAPI document

    class Output(Schema):
        items: list[Any] = Field(description="本页的记录")
        count: int = Field(description="符合条件的记录总数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
