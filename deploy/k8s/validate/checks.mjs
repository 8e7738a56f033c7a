// What every rendered overlay must hold beyond valid objects: each service of the solution deployed the same way.
import { readFileSync } from "node:fs";

/**
 * The deployable projects of the solution: every project under services/<name>/ that is not a test project, and the
 * gateway. A service added to Derp.sln without manifests fails the validation.
 */
export function servicesInSolution(slnText) {
  const names = new Set();
  for (const [, path] of slnText.matchAll(/^Project\("[^"]+"\) = "[^"]+", "([^"]+\.csproj)"/gm)) {
    const parts = path.split(/[\\/]/);
    if (parts.some((p) => p === "tests" || /Tests$/.test(p.replace(/\.csproj$/, "")))) continue;
    if (parts[0] === "services" && parts.length > 2) names.add(parts[1]);
    if (parts[0] === "gateway") names.add("gateway");
  }
  return [...names].sort();
}

export function readServices(slnPath) {
  return servicesInSolution(readFileSync(slnPath, "utf8"));
}

const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

/** The value a container sees for an environment variable, as far as the manifests say (null when unknown). */
export function environmentValue(objects, container, variable) {
  const direct = (container.env ?? []).find((e) => e.name === variable);
  if (direct) return direct.value ?? null;
  let value = null;
  for (const source of container.envFrom ?? []) {
    const map = source.configMapRef && find(objects, "ConfigMap", source.configMapRef.name);
    if (map?.data && variable in map.data) value = map.data[variable];
  }
  return value;
}

function podChecks(pod, container, where) {
  const problems = [];
  const podContext = pod.securityContext ?? {};
  const context = container.securityContext ?? {};
  if (!(context.runAsNonRoot ?? podContext.runAsNonRoot)) problems.push(`${where}: not runAsNonRoot`);
  if (context.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem not read-only`);
  if (context.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation not refused`);
  if (!(context.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities not dropped`);
  const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
  const volume = tmp && (pod.volumes ?? []).find((v) => v.name === tmp.name);
  if (!volume?.emptyDir) problems.push(`${where}: no emptyDir on /tmp`);
  if (!container.resources?.requests || !container.resources?.limits) problems.push(`${where}: resources without requests and limits`);
  return problems;
}

/** The checks for one service: [{ name, problems }]. */
export function serviceChecks(objects, service) {
  const problems = [];
  const isGateway = service === "gateway";
  const deployment = find(objects, "Deployment", service);
  if (!deployment) return [{ name: `${service}: Deployment, Service and probes`, problems: [`no Deployment ${service}`] }];
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata?.labels ?? {};
  const container = pod.containers.find((c) => c.name === service) ?? pod.containers[0];
  if ((deployment.spec.replicas ?? 1) < 2) problems.push("fewer than 2 replicas");
  if (container.livenessProbe?.httpGet?.path !== "/health/live") problems.push("liveness probe is not GET /health/live");
  if (container.readinessProbe?.httpGet?.path !== "/health/ready") problems.push("readiness probe is not GET /health/ready");
  problems.push(...podChecks(pod, container, "Deployment"));
  const httpPort = (container.ports ?? []).find((p) => p.name === "http");
  if (!httpPort) problems.push("no container port named http");

  const svc = find(objects, "Service", service);
  if (!svc) problems.push(`no Service ${service}`);
  else {
    if (!matches(svc.spec.selector, podLabels) || Object.keys(svc.spec.selector ?? {}).length === 0) problems.push("the Service does not select the Deployment's pods");
    if (!(svc.spec.ports ?? []).some((p) => p.targetPort === "http" || p.targetPort === httpPort?.containerPort)) problems.push("the Service does not reach the http port");
  }
  const pdb = objects.find((o) => o.kind === "PodDisruptionBudget" && matches(o.spec.selector?.matchLabels, podLabels));
  if (!pdb) problems.push("no PodDisruptionBudget");
  const hpa = objects.find((o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef?.kind === "Deployment" && o.spec.scaleTargetRef?.name === service);
  if (!hpa) problems.push("no HorizontalPodAutoscaler");
  else if ((hpa.spec.minReplicas ?? 1) < 2) problems.push("the HorizontalPodAutoscaler may go below 2 replicas");

  const checks = [{ name: `${service}: Deployment, Service, probes, PDB, HPA, non-root read-only pods`, problems }];
  if (!isGateway) {
    const migration = [];
    if (environmentValue(objects, container, "Database__MigrateOnStartup") !== "false") migration.push("the Deployment does not set Database__MigrateOnStartup=false");
    const job = find(objects, "Job", `${service}-migrate`);
    if (!job) migration.push(`no Job ${service}-migrate`);
    else {
      const jobPod = job.spec.template.spec;
      const jobContainer = jobPod.containers[0];
      if (!(jobContainer.args ?? []).includes("--migrate-only")) migration.push("the Job does not run --migrate-only");
      if (jobContainer.image !== container.image) migration.push("the Job runs another image than the Deployment");
      migration.push(...podChecks(jobPod, jobContainer, "Job"));
    }
    checks.push({ name: `${service}: migrations run by a Job, not by the replicas`, problems: migration });
  }
  return checks;
}

function podSpecs(object) {
  switch (object.kind) {
    case "Deployment": case "StatefulSet": case "DaemonSet": case "Job": return [object.spec.template.spec];
    case "CronJob": return [object.spec.jobTemplate.spec.template.spec];
    default: return [];
  }
}

/** The checks that concern the whole overlay. */
export function overlayChecks(objects, services) {
  const checks = [];
  const references = [];
  for (const object of objects) {
    for (const pod of podSpecs(object)) {
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        for (const source of container.envFrom ?? []) {
          if (source.configMapRef && !find(objects, "ConfigMap", source.configMapRef.name)) references.push(`${object.kind}/${object.metadata.name}: no ConfigMap ${source.configMapRef.name}`);
          if (source.secretRef && !find(objects, "Secret", source.secretRef.name)) references.push(`${object.kind}/${object.metadata.name}: no Secret ${source.secretRef.name}`);
        }
        for (const variable of container.env ?? []) {
          const secret = variable.valueFrom?.secretKeyRef;
          const s = secret && find(objects, "Secret", secret.name);
          if (secret && !s) references.push(`${object.kind}/${object.metadata.name}: no Secret ${secret.name}`);
          else if (secret && !(secret.key in (s.data ?? {}))) references.push(`${object.kind}/${object.metadata.name}: Secret ${secret.name} has no ${secret.key}`);
          const map = variable.valueFrom?.configMapKeyRef;
          if (map && !find(objects, "ConfigMap", map.name)) references.push(`${object.kind}/${object.metadata.name}: no ConfigMap ${map.name}`);
        }
      }
    }
  }
  for (const scrape of objects.filter((o) => o.kind === "ScrapeConfig"))
    for (const sd of scrape.spec.httpSDConfigs ?? []) {
      const credentials = sd.authorization?.credentials;
      const secret = credentials && find(objects, "Secret", credentials.name);
      if (credentials && !(credentials.key in (secret?.data ?? {}))) references.push(`ScrapeConfig/${scrape.metadata.name}: no Secret ${credentials.name} with ${credentials.key}`);
    }
  checks.push({ name: "every ConfigMap and Secret a pod or scrape reads is rendered (hashed names resolved)", problems: references });

  // The namespace enforces the "restricted" Pod Security Standard: a pod that breaks it is refused at run time.
  const namespace = objects.find((o) => o.kind === "Namespace");
  if (namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"] === "restricted") {
    const restricted = [];
    for (const object of objects)
      for (const pod of podSpecs(object))
        restricted.push(...restrictedProblems(pod).map((p) => `${object.kind}/${object.metadata.name}: ${p}`));
    checks.push({ name: "every pod meets the restricted Pod Security Standard the namespace enforces", problems: restricted });
  }

  const ingress = [];
  const ingresses = objects.filter((o) => o.kind === "Ingress");
  if (ingresses.length === 0) ingress.push("no Ingress");
  for (const i of ingresses) {
    if (!(i.spec.tls ?? []).length) ingress.push(`${i.metadata.name}: no TLS`);
    const issuer = i.metadata.annotations?.["cert-manager.io/issuer"] ?? i.metadata.annotations?.["cert-manager.io/cluster-issuer"];
    if (!issuer) ingress.push(`${i.metadata.name}: no cert-manager issuer annotation`);
    else if (!objects.some((o) => (o.kind === "Issuer" || o.kind === "ClusterIssuer") && o.metadata.name === issuer)) ingress.push(`${i.metadata.name}: issuer ${issuer} is not in the overlay`);
    for (const rule of i.spec.rules ?? [])
      for (const path of rule.http?.paths ?? [])
        if (path.backend?.service?.name !== "gateway") ingress.push(`${i.metadata.name}: a path leads to ${path.backend?.service?.name}, not the gateway`);
  }
  const exposed = objects.filter((o) => o.kind === "Service" && ["LoadBalancer", "NodePort"].includes(o.spec.type)).map((o) => o.metadata.name);
  if (exposed.length) ingress.push(`Services exposed outside the cluster: ${exposed.join(", ")}`);
  checks.push({ name: "only the gateway takes outside traffic: Ingress with TLS and cert-manager", problems: ingress });

  const policies = [];
  const policyList = objects.filter((o) => o.kind === "NetworkPolicy");
  const denyAll = policyList.find((p) => Object.keys(p.spec.podSelector ?? {}).length === 0 && !p.spec.ingress && !p.spec.egress
    && ["Ingress", "Egress"].every((t) => (p.spec.policyTypes ?? []).includes(t)));
  if (!denyAll) policies.push("no default-deny NetworkPolicy (ingress and egress) for the namespace");
  const gatewayIngress = policyList.filter((p) => p.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "gateway" && (p.spec.ingress ?? []).length);
  if (!gatewayIngress.length) policies.push("no NetworkPolicy lets traffic in to the gateway");
  for (const p of policyList)
    for (const rule of p.spec.ingress ?? [])
      if ((rule.from ?? []).some((peer) => peer.ipBlock) || !rule.from) policies.push(`${p.metadata.name}: takes traffic from any address`);
  checks.push({ name: "NetworkPolicies: default deny, the gateway reachable only from the ingress controller", problems: policies });

  const monitoring = [];
  const monitors = objects.filter((o) => o.kind === "ServiceMonitor");
  for (const service of services) {
    const svc = find(objects, "Service", service);
    if (svc && !monitors.some((m) => matches(m.spec.selector?.matchLabels, svc.metadata.labels) && m.spec.endpoints?.some((e) => e.path === "/metrics")))
      monitoring.push(`no ServiceMonitor scrapes ${service}'s /metrics`);
  }
  if (!objects.some((o) => o.kind === "PrometheusRule")) monitoring.push("no PrometheusRule");
  if (!objects.some((o) => o.kind === "ScrapeConfig" && o.spec.jobName === "relays")) monitoring.push("no ScrapeConfig for the relays");
  if (!objects.some((o) => o.kind === "CronJob" && o.metadata.name === "backup")) monitoring.push("no backup CronJob");
  checks.push({ name: "ServiceMonitor scrapes every service, relays discovered, PrometheusRule and backup CronJob present", problems: monitoring });
  return checks;
}

const restrictedVolumeTypes = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

/** What the restricted Pod Security Standard refuses in one pod (kubernetes.io/docs/concepts/security/pod-security-standards). */
export function restrictedProblems(pod) {
  const problems = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push("host namespaces");
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((k) => k !== "name");
    if (!restrictedVolumeTypes.has(type)) problems.push(`volume ${volume.name} of type ${type}`);
  }
  const podContext = pod.securityContext ?? {};
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    const context = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (context.privileged) problems.push(`${where}: privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (!(context.runAsNonRoot ?? podContext.runAsNonRoot)) problems.push(`${where}: runAsNonRoot is not true`);
    if ((context.runAsUser ?? podContext.runAsUser) === 0) problems.push(`${where}: runs as user 0`);
    const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${where}: no RuntimeDefault seccomp profile`);
    if (!(context.capabilities?.drop ?? []).includes("ALL")) problems.push(`${where}: capabilities not dropped (ALL)`);
    const added = (context.capabilities?.add ?? []).filter((c) => c !== "NET_BIND_SERVICE");
    if (added.length) problems.push(`${where}: adds capabilities ${added.join(", ")}`);
    if ((container.ports ?? []).some((p) => p.hostPort)) problems.push(`${where}: hostPort`);
  }
  return problems;
}
