"""Ids of imported projects and indicators, reconciled with the targets already on disk.

A re-import keeps every id whose content it recognises and every hand fix a person made: a
record whose note holds ``人工修正`` is kept as the person left it, a ``人工核对`` note is carried
over. New records get new ids (:mod:`scoring.targets.ids`).
"""

from __future__ import annotations

from scoring.findings import INFO, Finding
from scoring.language.normalize import squeeze
from scoring.targets.ids import indicator_key, new_indicator_id, new_project_id, project_key
from scoring.targets.model import HAND_FIX, REVIEWED, Targets


def _previous_maps(previous: Targets | None, taken: set[str]):
    prev_p: dict[str, list[dict]] = {}
    prev_by_name: dict[str, list[dict]] = {}
    prev_i: dict[str, list[dict]] = {}
    if previous is not None:
        for rec in previous.projects.to_dict("records"):
            prev_p.setdefault(project_key(rec["project"], rec["unit"] or rec["department"]), []).append(rec)
            prev_by_name.setdefault(squeeze(rec["project"]), []).append(rec)
            taken.add(rec["project_id"])
        for rec in previous.indicators.to_dict("records"):
            prev_i.setdefault(rec["project_id"], []).append(rec)
            taken.add(rec["id"])
    return prev_p, prev_by_name, prev_i


def assign_ids(projects: list[dict], indicators: list[dict], previous: Targets | None,
               notes: list[tuple[str, Finding]]) -> None:
    """Give every project and indicator its id: the previous one when the content matches, else a new one.

    ``indicators[i]["_table"]`` is the index of its project in ``projects``. Findings about kept
    hand fixes are appended to ``notes`` as (project name, finding).
    """
    taken: set[str] = set()
    prev_p, prev_by_name, prev_i = _previous_maps(previous, taken)
    used: set[str] = set()
    for p in projects:
        key = project_key(str(p.get("project", "")), str(p.get("unit") or p.get("department") or ""))
        cands = [r for r in prev_p.get(key, []) if r["project_id"] not in used]
        if not cands:
            cands = [r for r in prev_by_name.get(squeeze(str(p.get("project", ""))), []) if r["project_id"] not in used]
            cands = cands if len(cands) == 1 else []
        if cands:
            old = cands[0]
            p["project_id"] = old["project_id"]
            if HAND_FIX in (old.get("note") or ""):
                for k, v in old.items():
                    if k not in ("source",):
                        p[k] = None if v is None or (isinstance(v, float) and v != v) else v
                notes.append((str(p["project"]), Finding(str(p.get("source", "")), "项目信息有人工修正，保留原有内容："
                                                         f"{old['note']}", INFO, code="kept")))
            elif REVIEWED in (old.get("note") or ""):
                p["note"] = old["note"]
        else:
            p["project_id"] = new_project_id(key, taken)
        used.add(p["project_id"])
        taken.add(p["project_id"])
    _indicator_ids(projects, indicators, prev_i, taken, notes)


def _indicator_ids(projects, indicators, prev_i, taken: set[str], notes) -> None:
    seen_keys: dict[str, dict[str, int]] = {}
    used_i: set[str] = set()
    for rec in indicators:
        owner = projects[rec.pop("_table")]
        pid = owner["project_id"]
        rec["project_id"] = pid
        rec["project"] = owner["project"]
        key = indicator_key(str(rec["level1"]), str(rec["level2"]), str(rec["level3"]))
        old = _match_previous(rec, key, prev_i.get(pid, []), used_i)
        if old is not None:
            rec["id"] = old["id"]
            seen_keys.setdefault(pid, {})[key] = seen_keys.setdefault(pid, {}).get(key, 0) + 1
            if HAND_FIX in (old.get("note") or ""):
                for k in ("level1", "level2", "level3", "period_value", "annual_value", "weight", "note"):
                    rec[k] = old[k]
                notes.append((str(rec["project"]), Finding(str(rec["source"]), f"指标 {old['id']} 有人工修正，"
                                                           f"保留原有内容：{old['note']}", INFO, id=old["id"],
                                                           code="kept")))
            elif REVIEWED in (old.get("note") or "") and old["note"] not in str(rec["note"]):
                rec["note"] = f"{old['note']}；{rec['note']}" if rec["note"] else old["note"]
        else:
            rec["id"] = new_indicator_id(pid, key, taken, seen_keys.setdefault(pid, {}))
        used_i.add(rec["id"])
        taken.add(rec["id"])


def _match_previous(rec: dict, key: str, olds: list[dict], used: set[str]) -> dict | None:
    free = [o for o in olds if o["id"] not in used]
    same_key = [o for o in free if indicator_key(o["level1"], o["level2"], o["level3"]) == key]
    for cond in (lambda o: o["source"] == rec["source"],
                 lambda o: (o["period_value"], o["annual_value"]) == (rec["period_value"], rec["annual_value"]),
                 lambda o: True):
        hit = next((o for o in same_key if cond(o)), None)
        if hit is not None:
            return hit
    return next((o for o in free if o["source"] == rec["source"] and HAND_FIX in (o.get("note") or "")), None)

