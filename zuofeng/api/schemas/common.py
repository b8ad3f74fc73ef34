from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


class FieldErrorsOut(ErrorOut):
    errors: dict[str, list[str]] = Field(default_factory=dict, description="逐字段的错误说明")


class Ref(Schema):
    id: int
    name: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    errors: list[dict] = Field(description="逐项的参数错误，loc 指出出错的参数")


def with_errors(ok, *codes: int) -> dict:
    """A response map documenting the Chinese error bodies an operation can return."""
    errors = {code: ErrorOut for code in (401, *codes)}
    return {200: ok, **errors, 422: ValidationErrorOut}
