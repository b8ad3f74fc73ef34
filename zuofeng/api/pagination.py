from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


class Paged(PageNumberPagination):
    """Page-numbered lists with the parameters described in Chinese; 50 rows a page, at most 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, description="每页条数，默认 50，最多 500")

    class Output(Schema):
        items: list[Any] = Field(description="本页的记录")
        count: int = Field(description="符合条件的记录总数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=500, **kwargs)
