// Renders every overlay with `kubectl kustomize` and validates it offline: each object against the Kubernetes
// schemas (unknown fields refused), then what every deployment of Derp must hold (checks.mjs). The overlays are
// rendered from a copy of deploy/k8s whose secrets are the committed examples: real secrets are never read.
//
//   node validate.mjs            prints one line per check and "N passed, N failed"; exits 1 on any failure
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { schemaProblems } from "./schema.mjs";
import { overlayChecks, readServices, serviceChecks } from "./checks.mjs";

const k8sRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = resolve(k8sRoot, "../..");

/** The rendered objects of each overlay: { overlay: objects[] }. */
export function renderOverlays(root = k8sRoot) {
  const copy = mkdtempSync(join(tmpdir(), "derp-k8s-"));
  try {
    cpSync(root, copy, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|secrets)$/.test(source),
    });
    const rendered = {};
    for (const overlay of readdirSync(join(copy, "overlays")).sort()) {
      const directory = join(copy, "overlays", overlay);
      if (existsSync(join(directory, "secrets.example"))) cpSync(join(directory, "secrets.example"), join(directory, "secrets"), { recursive: true });
      const output = execFileSync("kubectl", ["kustomize", directory], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      rendered[overlay] = parseAllDocuments(output).map((d) => {
        if (d.errors.length) throw new Error(`${overlay}: ${d.errors[0].message}`);
        return d.toJS();
      }).filter(Boolean);
    }
    return rendered;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

export async function validate({ root = k8sRoot, services = readServices(join(repositoryRoot, "Derp.sln")) } = {}) {
  const results = [];
  const rendered = renderOverlays(root);
  for (const [overlay, objects] of Object.entries(rendered)) {
    for (const object of objects)
      results.push({ name: `${overlay}: ${object.kind}/${object.metadata?.name} against the schema`, problems: await schemaProblems(object) });
    for (const service of services) results.push(...serviceChecks(objects, service).map((c) => ({ ...c, name: `${overlay}: ${c.name}` })));
    results.push(...overlayChecks(objects, services).map((c) => ({ ...c, name: `${overlay}: ${c.name}` })));
  }
  return { overlays: Object.keys(rendered), services, results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let passed = 0;
  let failed = 0;
  try {
    const { overlays, services, results } = await validate();
    console.log(`overlays: ${overlays.join(", ")}; services from Derp.sln: ${services.join(", ")}`);
    for (const { name, problems } of results) {
      if (problems.length === 0) {
        passed++;
        continue;
      }
      failed++;
      console.log(`not ok - ${name}`);
      for (const problem of problems) console.log(`    ${problem}`);
    }
  } catch (e) {
    console.log(`not ok - rendering the overlays: ${e.message}`);
    failed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
