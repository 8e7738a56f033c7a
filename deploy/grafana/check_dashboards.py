#!/usr/bin/python3
"""Proves the Grafana dashboards without Grafana (ADR-025).

  check_dashboards.py schema              every dashboard against dashboard.schema.json (Grafana's dashboard model),
                                          plus what the schema cannot say: unique panel ids and titles, declared
                                          variables, may-be-empty entries that exist, alert links to real dashboards
  check_dashboards.py queries URL [SECS]  every panel query (and variable query) against a live Prometheus at URL
                                          over the last SECS seconds (default 3600): a query that errors fails, and
                                          so does one that returns nothing unless may-be-empty.yml allows it

Prints one line per check and ends with `N passed, M failed`; exits 1 on any failure."""
import glob
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DASHBOARDS = sorted(glob.glob(os.path.join(HERE, "dashboards", "*.json")))
RULES = sorted(glob.glob(os.path.join(HERE, "..", "prometheus", "rules", "*.yml")))
GRAFANA_VARIABLES = {"__rate_interval", "__interval", "__range", "__range_s", "__interval_ms"}

results = {"passed": 0, "failed": 0}


def check(ok, what):
    results["passed" if ok else "failed"] += 1
    print(("ok      " if ok else "FAILED  ") + what)


def load_dashboards():
    return [(os.path.basename(path), json.load(open(path, encoding="utf-8"))) for path in DASHBOARDS]


def may_be_empty():
    """{dashboard uid: {panel title or "title#refId"}} from may-be-empty.yml."""
    listed = yaml.safe_load(open(os.path.join(HERE, "may-be-empty.yml"))) or {}
    return {uid: {str(entry) for entry in (entries or [])} for uid, entries in listed.items()}


def variables_in(expr):
    return set(re.findall(r"\$\{?(\w+)\}?", expr))


def schema():
    validator = jsonschema.Draft7Validator(json.load(open(os.path.join(HERE, "dashboard.schema.json"))))
    dashboards = load_dashboards()
    check(len(dashboards) == 4, f"four dashboards ({', '.join(name for name, _ in dashboards)})")
    allowed_empty = may_be_empty()
    uids = set()
    for name, dashboard in dashboards:
        errors = sorted(validator.iter_errors(dashboard), key=lambda e: list(e.absolute_path))
        check(not errors, f"{name}: matches Grafana's dashboard schema" +
              "".join(f"\n          at {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10]))
        if errors:
            continue
        uids.add(dashboard["uid"])
        panels = dashboard["panels"]
        ids = [panel["id"] for panel in panels]
        titles = [panel["title"] for panel in panels]
        check(len(set(ids)) == len(ids) and len(set(titles)) == len(titles), f"{name}: panel ids and titles are unique")
        declared = {variable["name"] for variable in dashboard["templating"].get("list", [])}
        used = set()
        for panel in panels:
            for target in panel["targets"]:
                used |= variables_in(target["expr"])
        check(used - declared - GRAFANA_VARIABLES == set(), f"{name}: every variable a query uses is declared ({sorted(used - GRAFANA_VARIABLES) or 'none'})")
        listed = allowed_empty.get(dashboard["uid"], set())
        known = set(titles) | {f"{panel['title']}#{target['refId']}" for panel in panels for target in panel["targets"]}
        check(listed <= known, f"{name}: may-be-empty.yml names only panels that exist {sorted(listed - known) or ''}")
    check(set(allowed_empty) <= uids, "may-be-empty.yml names only dashboards that exist")

    linked = set()
    for path in RULES:
        for group in yaml.safe_load(open(path))["groups"]:
            for rule in group["rules"]:
                match = re.match(r"^/d/([\w-]+)", rule.get("annotations", {}).get("dashboard", ""))
                linked.add(match.group(1) if match else f"(none: {rule.get('alert')})")
    check(linked <= uids, f"every alert's dashboard link names a dashboard ({sorted(linked)})")

    datasources = yaml.safe_load(open(os.path.join(HERE, "provisioning", "datasources", "prometheus.yml")))
    check(any(ds.get("uid") == "prometheus" and ds.get("type") == "prometheus" for ds in datasources["datasources"]),
          "provisioning: the Prometheus data source has the uid the panels use")
    providers = yaml.safe_load(open(os.path.join(HERE, "provisioning", "dashboards", "derp.yml")))
    check(all(provider.get("type") == "file" and provider.get("options", {}).get("path") for provider in providers["providers"]),
          "provisioning: dashboards are provided from files")


def prometheus(url, path, params):
    request = urllib.request.Request(url.rstrip("/") + path, data=urllib.parse.urlencode(params).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def substitute(expr, dashboard, window):
    all_values = {v["name"]: v.get("allValue", ".*") for v in dashboard["templating"].get("list", [])}
    values = {"__rate_interval": "1m", "__interval": "15s", "__range": f"{window}s", "__range_s": str(window),
              "__interval_ms": "15000", **all_values}
    return re.sub(r"\$\{?(\w+)\}?", lambda m: values.get(m.group(1), m.group(0)), expr)


def queries(url, window):
    end = time.time()
    start = end - window
    step = max(5, window // 240)
    allowed_empty = may_be_empty()
    for name, dashboard in load_dashboards():
        listed = allowed_empty.get(dashboard["uid"], set())
        for variable in dashboard["templating"].get("list", []):
            match = re.match(r"^label_values\((.+),\s*(\w+)\)$", variable.get("query", "").strip())
            if not match:
                continue
            answer = prometheus(url, "/api/v1/query", {"query": f"count by ({match.group(2)}) ({match.group(1)})", "time": end})
            found = answer.get("status") == "success" and answer["data"]["result"]
            check(bool(found), f"{name}: variable ${variable['name']} has values" + ("" if found else f" ({answer.get('error', 'none')})"))
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                expr = substitute(target["expr"], dashboard, window)
                answer = prometheus(url, "/api/v1/query_range", {"query": expr, "start": start, "end": end, "step": step})
                label = f"{name}: {panel['title']}#{target['refId']}"
                if answer.get("status") != "success":
                    check(False, f"{label}: query failed: {answer.get('error')}\n          {expr}")
                    continue
                series = len(answer["data"]["result"])
                optional = panel["title"] in listed or f"{panel['title']}#{target['refId']}" in listed
                check(series > 0 or optional, f"{label}: {series} series" + (" (may be empty)" if optional and series == 0 else "")
                      + ("" if series > 0 or optional else f"\n          nothing for: {expr}"))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "schema":
        schema()
    elif len(sys.argv) >= 3 and sys.argv[1] == "queries":
        queries(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3600)
    else:
        print(__doc__)
        sys.exit(2)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)
