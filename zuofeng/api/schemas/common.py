from typing import Annotated

from ninja import Field, Path, Schema

from zuofeng.core.ids import MAX_ID

# Every id the API reads is bounded to PostgreSQL's bigint: a larger number is refused with a 422
# before it reaches a query (where it would be a DataError, a 500).
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="记录 ID（正整数）")]
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="记录 ID（正整数）")]


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


class FieldErrorsOut(ErrorOut):
    errors: dict[str, list[str]] = Field(default_factory=dict, description="逐字段的错误说明")


class StaleOut(ErrorOut):
    current: dict[str, str] = Field(default_factory=dict, description="他人保存后的当前内容")


class Ref(Schema):
    id: int
    name: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    errors: list[dict] = Field(description="逐项的参数错误，loc 指出出错的参数")


# 401, 403, 404 and 422 can answer any operation: no caller, a refused role, an unknown or
# invisible row (or path), and a parameter or body that does not validate.
ALWAYS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
OPTIONAL = {400: FieldErrorsOut, 409: StaleOut}


def with_errors(ok, *codes: int) -> dict:
    """The response map of an operation: its 200 body and the Chinese error bodies it can return
    (400 form errors per field and 409 stale edits are added where the operation has them)."""
    return {200: ok, **ALWAYS, **{code: OPTIONAL[code] for code in codes}}
