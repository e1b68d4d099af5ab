"""The figures each scenario of `make prove` measures, printed together at the end of the run.

A test records what it measured (`figures.add("lost", 0)`) next to its assertions, so the
summary shows the numbers behind every pass, and behind a failure too.
"""

from dataclasses import dataclass, field


@dataclass
class Scenario:
    name: str
    lines: list[tuple[str, str]] = field(default_factory=list)


class Figures:
    def __init__(self):
        self.scenarios: list[Scenario] = []

    def scenario(self, name: str) -> "Recorder":
        scenario = Scenario(name)
        self.scenarios.append(scenario)
        return Recorder(scenario)

    def report(self) -> list[str]:
        lines = []
        for scenario in self.scenarios:
            if not scenario.lines:
                continue
            lines.append(scenario.name)
            width = max(len(label) for label, _ in scenario.lines)
            lines.extend(f"  {label:<{width}}  {value}" for label, value in scenario.lines)
        return lines


class Recorder:
    def __init__(self, scenario: Scenario):
        self._scenario = scenario

    def add(self, label: str, value) -> None:
        if isinstance(value, float):
            value = f"{value:,.1f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        self._scenario.lines.append((label, str(value)))


FIGURES = Figures()
