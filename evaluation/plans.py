"""The plans the evaluation knows: code, title, 文号, years and status."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanInfo:
    code: str
    title: str
    document_number: str
    issuer: str
    baseline_year: int
    first_year: int
    last_year: int
    goal_year: int
    status: str

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.last_year, 12, 31)

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def has_ended(self, today: date) -> bool:
        """The final evaluation opens the day after the plan's last year ends."""
        return today > self.end


_PLANS = (
    PlanInfo(
        code="cxkfq-2023-2025",
        title="楚雄州开发区提质增效三年行动实施方案（2023—2025年）",
        document_number="楚办发〔2023〕5号",
        issuer="中共楚雄州委办公室 楚雄州人民政府办公室",
        baseline_year=2022, first_year=2023, last_year=2025, goal_year=2025,
        status="in_force",
    ),
)


def plan_get(code: str) -> PlanInfo | None:
    return next((p for p in _PLANS if p.code == code), None)


def plans_ended(*, today: date) -> list[PlanInfo]:
    return [p for p in _PLANS if p.has_ended(today)]
