"""Two projects with one name: told apart before anything is keyed by the name.

The year run keys a project's budget row, its 年度总体目标 and its weight sums by the 项目名称 that the workbook's
预算执行 and 年度总体目标 sheets show. Two projects of one name (two units' 办公经费 in a province's folder) would
be scored as one: one budget for both, both projects' indicators weighed together. So each such project is
called by its name and its unit (or, when the units do not tell them apart, its 项目编号), in the template, the
scoring and the reports alike, and ``score check`` says so.

>>> import pandas as pd
>>> projects = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "project": ["办公经费", "办公经费", "培训经费"],
...                          "unit": ["甲局", "乙局", "甲局"]})
>>> distinct_names(projects)
[(0, '办公经费', '办公经费（甲局）'), (1, '办公经费', '办公经费（乙局）')]
>>> distinct_names(projects.assign(unit=["甲局", "甲局", ""]))
[(0, '办公经费', '办公经费（P1）'), (1, '办公经费', '办公经费（P2）')]
>>> distinct_names(projects.iloc[1:])
[]
"""

from __future__ import annotations

import pandas as pd

CODE = "same_name"   # the Finding's code: the year run shows these warnings of the targets with its own


def distinct_names(projects: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(row, name, new name) for each project whose 项目名称 another project (another 项目编号) also has.

    The new name adds the unit when every project of that name has a unit and no two share one, else the 项目编号.
    A new name that is some other project's name takes the 项目编号 instead, so every name ends up once.
    """
    names = projects["project"].astype(str).str.strip()
    same = names.duplicated(keep=False) & (names != "")
    if not same.any():
        return []
    taken = set(names[~same])
    units = projects["unit"].astype(str).str.strip() if "unit" in projects.columns else pd.Series("", index=names.index)
    out = []
    for name, rows in names[same].groupby(names[same], sort=False).groups.items():
        by_unit = units.loc[rows]
        tell = (by_unit != "").all() and not by_unit.duplicated().any()
        for row in rows:
            k = names.index.get_loc(row)
            new = f"{name}（{by_unit.loc[row] if tell else projects['project_id'].iat[k]}）"
            if new in taken:
                new = f"{name}（{projects['project_id'].iat[k]}）"
            taken.add(new)
            out.append((k, str(projects["project"].iat[k]), new))
    return sorted(out)
