"""Reads an omnisim Salesforce export with pandas; see pandas-check.sh."""

import re
import sys
from pathlib import Path

import pandas as pd

DATETIME = re.compile(r"(DateTime|StartDate|EndDate|^StartTime|^AcceptTime|^EndTime|^CreatedDate)$")


def documented_queries(doc: Path) -> dict[str, list[str]]:
    """Object -> fields, from the `sf data export bulk` commands of the doc."""
    queries = {}
    for m in re.finditer(r'--query "SELECT (.*?) FROM (\w+)', doc.read_text()):
        queries[m.group(2)] = [f.strip() for f in m.group(1).split(",")]
    return queries


def main() -> int:
    doc, folder = Path(sys.argv[1]), Path(sys.argv[2])
    queries = documented_queries(doc)
    failures, rows = [], 0
    for obj, fields in queries.items():
        path = folder / f"{obj}.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows += len(df)
        if list(df.columns) != fields:
            failures.append(f"{path.name}: columns {list(df.columns)}, documented {fields}")
            continue
        for col in df.columns:
            values = df[col][df[col] != ""]
            if col == "Id" or col.endswith("Id"):
                bad = values[values.str.len() != 18]
                if len(bad):
                    failures.append(f"{path.name}.{col}: {bad.iloc[0]!r} is not 18 characters")
            if DATETIME.search(col):
                parsed = pd.to_datetime(values, utc=True, format="%Y-%m-%dT%H:%M:%S.%fZ", errors="coerce")
                if parsed.isna().any():
                    failures.append(f"{path.name}.{col}: {values[parsed.isna()].iloc[0]!r} does not parse")
    for f in failures:
        print(f"FAILED {f}")
    passed = len(queries) - len({f.split(':')[0].split('.')[0] for f in failures})
    print(f"pandas read {len(queries)} files, {rows} rows")
    print(f"{passed} passed, {len(queries) - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
