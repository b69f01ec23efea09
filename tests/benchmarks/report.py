"""Writing benchmark figures into docs/BENCHMARKS.md, one marked section per benchmark."""
import platform
from datetime import date
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nFigures measured by `make bench` on this project's machines (2 cores); each section is rewritten when its benchmark runs.\n"


def write_section(name, body):
    """Replace (or append) the section between <!-- name:start --> and <!-- name:end -->."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text() if DOC.exists() else HEADER
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    stamp = f"_Measured {date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}._"
    block = f"{start}\n{body}\n\n{stamp}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text)
