#!/usr/bin/python3
"""Every alert in rules/*.yml has a promtool case that fires and one that stays quiet (tests/*.yml), and carries
labels.severity and the summary, description and dashboard annotations. Prints one line per problem; exit 1 if any."""
import glob
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SEVERITIES = {"critical", "warning", "info"}

alerts = {}
for path in sorted(glob.glob(os.path.join(HERE, "rules", "*.yml"))):
    for group in yaml.safe_load(open(path))["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                alerts[rule["alert"]] = (os.path.basename(path), rule)

fires, quiet = set(), set()
for path in sorted(glob.glob(os.path.join(HERE, "tests", "*.yml"))):
    for test in yaml.safe_load(open(path))["tests"]:
        for case in test.get("alert_rule_test", []):
            (fires if case.get("exp_alerts") else quiet).add(case["alertname"])

problems = []
for name, (file, rule) in sorted(alerts.items()):
    if rule.get("labels", {}).get("severity") not in SEVERITIES:
        problems.append(f"{file}: {name}: labels.severity must be one of {sorted(SEVERITIES)}")
    for annotation in ("summary", "description", "dashboard"):
        if not rule.get("annotations", {}).get(annotation):
            problems.append(f"{file}: {name}: no {annotation} annotation")
    if not rule.get("annotations", {}).get("dashboard", "").startswith("/d/"):
        problems.append(f"{file}: {name}: the dashboard annotation is not a Grafana /d/<uid> path")
    if name not in fires:
        problems.append(f"{file}: {name}: no test case where it fires")
    if name not in quiet:
        problems.append(f"{file}: {name}: no test case where it stays quiet")
for name in sorted((fires | quiet) - set(alerts)):
    problems.append(f"tests: {name} is tested but no rule defines it")

for problem in problems:
    print(problem)
print(f"{len(alerts)} alerts, {len(problems)} problems")
sys.exit(1 if problems else 0)
