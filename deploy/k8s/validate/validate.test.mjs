// The validator and the generator must be able to fail: each check is shown a manifest it has to refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { schemaProblems } from "./schema.mjs";
import { overlayChecks, restrictedProblems, serviceChecks, servicesInSolution } from "./checks.mjs";
import { renderOverlays, validate } from "./validate.mjs";
import { generate } from "./generate-prometheus-rule.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const k8sRoot = join(here, "..");
const rendered = renderOverlays();
const prod = () => structuredClone(rendered.prod);
const byKindName = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const failing = (checks) => checks.filter((c) => c.problems.length > 0);

test("both overlays render", () => {
  assert.deepEqual(Object.keys(rendered).sort(), ["dev", "prod"]);
  assert.ok(byKindName(rendered.dev, "StatefulSet", "postgres"), "dev runs PostgreSQL in the cluster");
  assert.equal(byKindName(rendered.prod, "StatefulSet", "postgres"), undefined, "prod uses a managed PostgreSQL");
});

test("an unknown field is refused, however deep", async () => {
  const deployment = byKindName(prod(), "Deployment", "users");
  assert.deepEqual(await schemaProblems(deployment), []);
  deployment.spec.template.spec.containers[0].livenessProbe.httpGet.pathh = "/health/live";
  deployment.metadata.lables = { a: "b" };
  const problems = await schemaProblems(deployment);
  assert.ok(problems.includes("unknown field spec.template.spec.containers[0].livenessProbe.httpGet.pathh"), problems.join("; "));
  assert.ok(problems.includes("unknown field metadata.lables"), problems.join("; "));
});

test("a wrong type and a missing required field are refused", async () => {
  const deployment = byKindName(prod(), "Deployment", "users");
  deployment.spec.replicas = "two";
  delete deployment.spec.selector;
  const problems = (await schemaProblems(deployment)).join("; ");
  assert.match(problems, /replicas must be integer/);
  assert.match(problems, /required property 'selector'|required property selector/);
});

test("custom resources are checked against their CRD schema", async () => {
  const monitor = byKindName(prod(), "ServiceMonitor", "derp");
  assert.deepEqual(await schemaProblems(monitor), []);
  delete monitor.spec.selector;
  assert.match((await schemaProblems(monitor)).join("; "), /selector/);
  const rule = byKindName(prod(), "PrometheusRule", "derp");
  rule.spec.groups = [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "two minutes" }] }];
  assert.match((await schemaProblems(rule)).join("; "), /for/);
  const issuer = byKindName(prod(), "Issuer", "derp-issuer");
  issuer.spec.acme.solvers = "http01";
  assert.notDeepEqual(await schemaProblems(issuer), []);
});

test("an unknown field in a custom resource is refused too", async () => {
  const monitor = byKindName(prod(), "ServiceMonitor", "derp");
  monitor.spec.endpoints[0].intervall = "30s";
  assert.deepEqual(await schemaProblems(monitor), ["unknown field spec.endpoints[0].intervall"]);
  const rule = parse(generate(join(here, "testdata/rules")));
  rule.spec.groups[0].rules[0].forr = "5m";
  assert.deepEqual(await schemaProblems(rule), ["unknown field spec.groups[0].rules[0].forr"]);
  const issuer = byKindName(prod(), "Issuer", "derp-issuer");
  issuer.spec.acme.solvers[0].http01.ingress.class_name = "nginx";
  assert.deepEqual(await schemaProblems(issuer), ["unknown field spec.acme.solvers[0].http01.ingress.class_name"]);
});

test("a kind without a schema, and a namespace on a cluster-scoped object, are refused", async () => {
  assert.notDeepEqual(await schemaProblems({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }), []);
  assert.ok((await schemaProblems({ apiVersion: "v1", kind: "Namespace", metadata: { name: "derp", namespace: "derp" } }))
    .includes("a cluster-scoped Namespace has a namespace"));
});

test("the services come from the solution, so a new service without manifests fails", () => {
  const sln = readFileSync(join(k8sRoot, "../../Derp.sln"), "utf8");
  const services = servicesInSolution(sln);
  assert.deepEqual(services, ["acl", "distribution", "finance", "gateway", "serials", "servers", "users"]);
  const withNew = servicesInSolution(`${sln}\nProject("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Derp.Billing.Api", "services\\billing\\Derp.Billing.Api\\Derp.Billing.Api.csproj", "{00000000-0000-0000-0000-000000000000}"\nEndProject\n`);
  assert.ok(withNew.includes("billing"));
  assert.deepEqual(failing(serviceChecks(prod(), "billing")).map((c) => c.problems[0]), ["no Deployment billing"]);
});

test("every service's checks pass on the real overlays and fail on a broken one", () => {
  for (const service of ["users", "gateway"]) assert.deepEqual(failing(serviceChecks(prod(), service)), []);
  const objects = prod();
  const users = byKindName(objects, "Deployment", "users");
  const container = users.spec.template.spec.containers[0];
  container.readinessProbe.httpGet.path = "/health/live";
  container.securityContext.readOnlyRootFilesystem = false;
  users.spec.replicas = 1;
  objects.splice(objects.indexOf(byKindName(objects, "PodDisruptionBudget", "users")), 1);
  objects.splice(objects.indexOf(byKindName(objects, "Job", "users-migrate")), 1);
  const common = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("derp-common-"));
  delete common.data.Database__MigrateOnStartup;
  const problems = failing(serviceChecks(objects, "users")).flatMap((c) => c.problems);
  for (const expected of ["readiness probe is not GET /health/ready", "Deployment: root filesystem not read-only", "fewer than 2 replicas",
    "no PodDisruptionBudget", "no Job users-migrate", "the Deployment does not set Database__MigrateOnStartup=false"])
    assert.ok(problems.includes(expected), `${expected} not in ${problems.join("; ")}`);
});

test("overlay checks fail on a missing secret, an Ingress to another service, no default deny, an unhashed secret name", () => {
  const services = ["users", "gateway"];
  assert.deepEqual(failing(overlayChecks(prod(), services)), []);
  const objects = prod();
  objects.splice(objects.findIndex((o) => o.kind === "Secret" && o.metadata.name.startsWith("users-secrets-")), 1);
  byKindName(objects, "Ingress", "derp").spec.rules[0].http.paths[0].backend.service.name = "users";
  objects.splice(objects.indexOf(byKindName(objects, "NetworkPolicy", "default-deny")), 1);
  byKindName(objects, "ScrapeConfig", "relays").spec.httpSDConfigs[0].authorization.credentials.name = "servers-secrets";
  const problems = failing(overlayChecks(objects, services)).flatMap((c) => c.problems).join("; ");
  assert.match(problems, /no Secret users-secrets-/);
  assert.match(problems, /leads to users, not the gateway/);
  assert.match(problems, /no default-deny NetworkPolicy/);
  assert.match(problems, /ScrapeConfig\/relays: no Secret servers-secrets with/);
});

test("the whole validation passes on the committed manifests", async () => {
  const { results } = await validate();
  assert.deepEqual(results.filter((r) => r.problems.length), []);
  assert.ok(results.length > 100);
});

test("the PrometheusRule carries the rule files' groups unchanged and is a valid PrometheusRule", async () => {
  const manifest = parse(generate(join(here, "testdata/rules")));
  assert.deepEqual(await schemaProblems(manifest), []);
  const sources = ["backups.yml", "services.yml"].flatMap((f) => parse(readFileSync(join(here, "testdata/rules", f), "utf8")).groups);
  assert.deepEqual(manifest.spec.groups, sources);
});

test("the drift check fails when the committed PrometheusRule is not what the rules make", () => {
  const directory = mkdtempSync(join(tmpdir(), "derp-rules-"));
  try {
    cpSync(join(here, "testdata/rules"), join(directory, "rules"), { recursive: true });
    const out = join(directory, "prometheusrule.yaml");
    const run = (...args) => spawnSync(process.execPath, [join(here, "generate-prometheus-rule.mjs"), "--rules", join(directory, "rules"), "--out", out, ...args], { encoding: "utf8" });
    assert.equal(run().status, 0);
    assert.equal(run("--check").status, 0);
    const rule = readFileSync(join(directory, "rules/services.yml"), "utf8");
    writeFileSync(join(directory, "rules/services.yml"), rule.replace("for: 2m", "for: 5m"));
    const drift = run("--check");
    assert.equal(drift.status, 1);
    assert.match(drift.stdout, /0 passed, 1 failed/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("two rule files defining one group are refused", () => {
  const directory = mkdtempSync(join(tmpdir(), "derp-rules-"));
  try {
    cpSync(join(here, "testdata/rules/backups.yml"), join(directory, "a.yml"));
    cpSync(join(here, "testdata/rules/backups.yml"), join(directory, "b.yml"));
    assert.throws(() => generate(directory), /defined twice/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("the kustomize in use renders (kubectl present)", () => {
  assert.match(execFileSync("kubectl", ["version", "--client"], { encoding: "utf8" }), /Kustomize Version/);
});

test("a pod the restricted Pod Security Standard refuses is found", () => {
  const postgres = structuredClone(byKindName(rendered.dev, "StatefulSet", "postgres").spec.template.spec);
  assert.deepEqual(restrictedProblems(postgres), []);
  postgres.hostNetwork = true;
  postgres.volumes.push({ name: "host", hostPath: { path: "/var/lib/postgresql" } });
  delete postgres.containers[0].securityContext.allowPrivilegeEscalation;
  postgres.securityContext.runAsNonRoot = false;
  assert.deepEqual(restrictedProblems(postgres), ["host namespaces", "volume host of type hostPath",
    "container postgres: allowPrivilegeEscalation is not false", "container postgres: runAsNonRoot is not true"]);
});
