// Offline schema validation of one Kubernetes object.
//
// Two sources, because neither alone is enough:
// - kubernetes-models (and its cert-manager and prometheus-operator packages): validators compiled from the
//   OpenAPI / CRD schemas: types, formats, enums, required fields; but they let unknown fields through.
// - @kubernetes/client-node: the official client's model classes list every field of every built-in type
//   (attributeTypeMap, generated from Kubernetes' OpenAPI definitions); walking an object against them refuses
//   any field the API does not have, as `kubectl apply --validate=strict` would. Custom resources: the fields
//   their models declare (crd-fields.mjs).
import * as client from "@kubernetes/client-node";
import { unknownCustomResourceFields } from "./crd-fields.mjs";

/** Kinds without a namespace: kustomize's `namespace:` must not have been put on them. */
export const clusterScopedKinds = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterIssuer", "CustomResourceDefinition", "PersistentVolume",
  "StorageClass", "PriorityClass", "IngressClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
]);

/** Custom resources this deployment uses, and the package whose validators carry their CRD schema. */
const customResources = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "acme.cert-manager.io": "@kubernetes-models/cert-manager",
};

const modelCache = new Map();

function modelModule(apiVersion, kind) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return customResources[group] ? `${customResources[group]}/${apiVersion}/${kind}` : `kubernetes-models/${apiVersion}/${kind}`;
}

async function modelClass(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  let model = null;
  try {
    model = (await import(modelModule(apiVersion, kind)))[kind] ?? null;
  } catch {
    model = null;
  }
  modelCache.set(key, model);
  return model;
}

/** The client model class of a built-in kind: "apps/v1" Deployment -> V1Deployment; none for custom resources. */
export function clientClassName(apiVersion, kind) {
  const version = apiVersion.split("/").pop();
  return version[0].toUpperCase() + version.slice(1) + kind;
}

export function isCustomResource(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return group in customResources;
}

/** Every field of `value` that the built-in type `type` does not have, as JSON paths. */
export function unknownFields(value, type, path = "") {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, array[1], `${path}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1], `${path}.${k}`)) : [];
  const model = client[type];
  if (typeof model?.getAttributeTypeMap !== "function") return []; // string, number, boolean, Date, IntOrString, any, object
  if (typeof value !== "object" || Array.isArray(value)) return []; // a wrong type: the schema validator reports it
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([field, fieldValue]) =>
    attributes.has(field) ? unknownFields(fieldValue, attributes.get(field), `${path}.${field}`) : [`${path}.${field}`]);
}

/** Problems with one object against its schema: [] when valid. */
export async function schemaProblems(object) {
  const { apiVersion, kind } = object ?? {};
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind are required"];
  const model = await modelClass(apiVersion, kind);
  if (!model) return [`no schema for ${apiVersion} ${kind} (a kind this validator does not know is refused)`];
  const problems = [];
  const checked = structuredClone(object);
  // kustomize folds long base64 values over lines; the API server's decoder skips the line breaks, the format check does not.
  if (kind === "Secret" && checked.data)
    for (const key of Object.keys(checked.data)) if (typeof checked.data[key] === "string") checked.data[key] = checked.data[key].replace(/[\r\n]/g, "");
  try {
    new model(checked).validate();
  } catch (e) {
    problems.push(...String(e.message).split("\n").filter(Boolean));
  }
  if (isCustomResource(apiVersion)) {
    // The CRD validators let unknown fields through: their type declarations list the fields (crd-fields.mjs).
    problems.push(...unknownCustomResourceFields(object, modelModule(apiVersion, kind)).map((p) => `unknown field ${p}`));
  } else {
    const className = clientClassName(apiVersion, kind);
    if (typeof client[className]?.getAttributeTypeMap !== "function") problems.push(`no field list for ${className}`);
    else problems.push(...unknownFields(object, className).map((p) => `unknown field ${p.slice(1)}`));
  }
  if (object.metadata?.namespace && clusterScopedKinds.has(kind)) problems.push(`a cluster-scoped ${kind} has a namespace`);
  return problems;
}
