// Unknown fields in custom resources (cert-manager, Prometheus Operator). Their compiled validators check types and
// required fields but let unknown ones through, and no client library lists their fields at run time. The models'
// type declarations do, one interface per CRD type (generated from the CRD schemas): this reads those declarations
// and walks an object against them, refusing any field the CRD does not have.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const files = new Map();

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

function declarationFile(specifier, fromFile) {
  if (specifier.startsWith(".")) return resolve(dirname(fromFile), specifier).replace(/\.js$/, ".d.ts");
  // Resolved as an import (the packages export ESM paths only); the declarations sit beside the modules.
  return fileURLToPath(import.meta.resolve(specifier)).replace(/\.(m?js)$/, ".d.ts");
}

/** The declarations of one file: its imports (local name -> [file, exported name]), interfaces and type aliases. */
function parseFile(file) {
  if (files.has(file)) return files.get(file);
  const text = stripComments(readFileSync(file, "utf8"));
  const imports = new Map();
  for (const [, names, specifier] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g))
    for (const name of names.split(",").map((n) => n.trim()).filter(Boolean)) {
      const [exported, local] = name.split(/\s+as\s+/);
      imports.set((local ?? exported).trim(), [specifier, exported.trim()]);
    }
  const aliases = new Map(); // exported name -> local name
  for (const [, names] of text.matchAll(/export type \{([^}]*)\}/g))
    for (const name of names.split(",").map((n) => n.trim()).filter(Boolean)) {
      const [local, exported] = name.split(/\s+as\s+/);
      aliases.set((exported ?? local).trim(), local.trim());
    }
  const interfaces = new Map();
  for (const match of text.matchAll(/export interface (\w+)(?:\s+extends\s+([^{]+))?\s*\{/g)) {
    const body = balanced(text, match.index + match[0].length - 1);
    interfaces.set(match[1], { bases: (match[2] ?? "").split(",").map((b) => b.trim()).filter(Boolean), body });
  }
  const types = new Map();
  for (const [, name, type] of text.matchAll(/export type (\w+)\s*=\s*([^;]+);/g)) types.set(name, type.trim());
  const parsed = { file, imports, aliases, interfaces, types };
  files.set(file, parsed);
  return parsed;
}

/** The text between the brace at `open` and its match. */
function balanced(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error("unbalanced braces");
}

/** Properties of an object type body: name -> type text (nested braces and generics kept whole). */
function properties(body) {
  const result = new Map();
  let i = 0;
  while (i < body.length) {
    const match = /^\s*"([^"]+)"\??\s*:\s*/.exec(body.slice(i));
    if (!match) {
      const next = body.indexOf(";", i);
      if (next < 0) break;
      i = next + 1;
      continue;
    }
    i += match[0].length;
    let depth = 0;
    let end = i;
    for (; end < body.length; end++) {
      const c = body[end];
      if (c === "{" || c === "<" || c === "(") depth++;
      else if (c === "}" || c === ">" || c === ")") depth--;
      else if (c === ";" && depth === 0) break;
    }
    result.set(match[1], body.slice(i, end).trim());
    i = end + 1;
  }
  return result;
}

/** A type as a node to walk: { kind: "object", fields, context } | { kind: "array"|"map", item } | { kind: "leaf" }. */
function resolveType(type, context) {
  type = type.trim();
  const array = /^Array<([\s\S]+)>$/.exec(type);
  if (array) return { kind: "array", item: () => resolveType(array[1], context) };
  if (type.startsWith("{")) {
    const body = balanced(type, 0);
    const index = /^\s*\[key: string\]\s*:\s*([\s\S]+?);?\s*$/.exec(body);
    if (index) return { kind: "map", item: () => resolveType(index[1], context) };
    return { kind: "object", fields: properties(body), bases: [], context };
  }
  const members = type.split("|").map((t) => t.trim()).filter((t) => t !== "null" && t !== "undefined");
  if (members.length !== 1 || !/^[A-Za-z_]\w*$/.test(members[0])) return { kind: "leaf" };
  return resolveName(members[0], context);
}

function resolveName(name, context) {
  if (["string", "number", "boolean", "any", "object", "unknown", "Date"].includes(name)) return { kind: "leaf" };
  if (name === "TypeMeta") return { kind: "object", fields: new Map([["apiVersion", "string"], ["kind", "string"]]), bases: [], context };
  const local = context.aliases.get(name) ?? name;
  const declared = context.interfaces.get(local);
  if (declared) return { kind: "object", fields: properties(declared.body), bases: declared.bases, context };
  if (context.types.has(local)) return resolveType(context.types.get(local), context);
  const imported = context.imports.get(name);
  if (imported) return resolveName(imported[1], parseFile(declarationFile(imported[0], context.file)));
  return { kind: "leaf" }; // not a declared structure: nothing to check field by field
}

function allFields(node) {
  const fields = new Map(node.fields);
  for (const base of node.bases) {
    const resolved = resolveName(base, node.context);
    if (resolved.kind === "object") for (const [k, v] of allFields(resolved)) fields.set(k, v);
  }
  for (const [k, v] of fields) if (typeof v === "string") fields.set(k, { text: v, context: node.context });
  return fields;
}

function walk(value, node, path) {
  if (value === null || value === undefined || node.kind === "leaf") return [];
  if (node.kind === "array") return Array.isArray(value) ? value.flatMap((v, i) => walk(v, node.item(), `${path}[${i}]`)) : [];
  if (node.kind === "map") return typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => walk(v, node.item(), `${path}.${k}`)) : [];
  if (typeof value !== "object" || Array.isArray(value)) return [];
  const fields = allFields(node);
  return Object.entries(value).flatMap(([field, fieldValue]) => {
    const declared = fields.get(field);
    if (!declared) return [`${path}.${field}`];
    return walk(fieldValue, resolveType(declared.text, declared.context), `${path}.${field}`);
  });
}

/** Fields of a custom resource that its CRD does not declare, as paths ("spec.endpoints[0].bogus"). */
export function unknownCustomResourceFields(object, modelModule) {
  const file = declarationFile(modelModule, fileURLToPath(import.meta.url));
  const context = parseFile(file);
  const root = resolveName(`I${object.kind}`, context);
  if (root.kind !== "object") throw new Error(`no declaration of ${object.kind} in ${modelModule}`);
  return walk(object, root, "").map((p) => p.slice(1));
}
