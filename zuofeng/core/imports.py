"""What every Excel import reports: one error per bad cell, named by row and column in Chinese."""

from dataclasses import dataclass


@dataclass
class RowError:
    row: int
    column: str
    reason: str
    sheet: str = ""  # shown in its own column where a workbook has several sheets

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.reason}"
