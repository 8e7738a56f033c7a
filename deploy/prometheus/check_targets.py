#!/usr/bin/python3
"""check_targets.py URL SECONDS: every job of a copy's Prometheus (each service, the gateway, the node exporter,
RabbitMQ, and the relays found through the servers service) had a target that was up within the last SECONDS.
Prints one line per job and `N passed, M failed`; exits 1 on any failure."""
import json
import sys
import urllib.parse
import urllib.request

JOBS = ["users", "serials", "acl", "servers", "finance", "distribution", "gateway", "node", "rabbitmq", "relays"]

url, seconds = sys.argv[1].rstrip("/"), int(sys.argv[2])
passed = failed = 0
for job in JOBS:
    query = f'max(max_over_time(up{{job="{job}"}}[{seconds}s]))'
    with urllib.request.urlopen(f"{url}/api/v1/query?{urllib.parse.urlencode({'query': query})}", timeout=30) as response:
        result = json.load(response)["data"]["result"]
    up = bool(result) and float(result[0]["value"][1]) == 1
    passed, failed = passed + up, failed + (not up)
    print(("ok      " if up else "FAILED  ") + f"{job}: " + ("a target was up" if up else "no target up" if result else "no target at all"))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
