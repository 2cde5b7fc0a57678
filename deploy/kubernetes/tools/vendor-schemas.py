#!/usr/bin/env python3
"""Vendors the schemas that ManifestSchemaTest validates against, from local clones of the upstream repositories
(paths as arguments, see schemas/README.md). Only what the manifests use is kept: the Kubernetes definitions
reachable from the kinds listed below, the openAPIV3Schema of each custom resource. Strictness (unknown fields
fail) is added by the test, not here, so that these files stay as upstream wrote them."""
import json, subprocess, sys, pathlib, yaml

K8S_VERSION = "1.35"
STRIMZI = "1.2.0"
CNPG = "v1.30.0"
out = pathlib.Path(__file__).resolve().parents[1] / "schemas"
kubectl_validate, strimzi, cnpg, datree, compose = sys.argv[1:6]

def show(repo, rev, path):
    return subprocess.check_output(["git", "-C", repo, "show", f"{rev}:{path}"])

# Kubernetes: the OpenAPI v3 documents kubectl-validate ships for each release
KINDS = {  # apiVersion/kind -> (document, definition)
    "v1/Namespace": ("api/v1", "io.k8s.api.core.v1.Namespace"),
    "v1/ConfigMap": ("api/v1", "io.k8s.api.core.v1.ConfigMap"),
    "v1/Secret": ("api/v1", "io.k8s.api.core.v1.Secret"),
    "v1/Service": ("api/v1", "io.k8s.api.core.v1.Service"),
    "apps/v1/Deployment": ("apis/apps/v1", "io.k8s.api.apps.v1.Deployment"),
    "batch/v1/Job": ("apis/batch/v1", "io.k8s.api.batch.v1.Job"),
    "autoscaling/v2/HorizontalPodAutoscaler": ("apis/autoscaling/v2", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"),
    "policy/v1/PodDisruptionBudget": ("apis/policy/v1", "io.k8s.api.policy.v1.PodDisruptionBudget"),
    "networking.k8s.io/v1/NetworkPolicy": ("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.NetworkPolicy"),
    "networking.k8s.io/v1/Ingress": ("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.Ingress"),
}
defs = {}
docs = {}
for doc, _ in KINDS.values():
    if doc not in docs:
        docs[doc] = json.loads(show(kubectl_validate, "HEAD", f"pkg/openapiclient/builtins/{K8S_VERSION}/{doc}.json"))["components"]["schemas"]
def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v.rsplit("/", 1)[1]
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)
for doc, name in KINDS.values():
    todo = [name]
    while todo:
        n = todo.pop()
        if n in defs:
            continue
        defs[n] = docs[doc][n]
        todo.extend(refs(defs[n]))
(out / f"kubernetes-{K8S_VERSION}.json").write_text(json.dumps(
    {"source": f"kubernetes-sigs/kubectl-validate pkg/openapiclient/builtins/{K8S_VERSION} (Kubernetes' OpenAPI v3)",
     "kinds": {k: v[1] for k, v in KINDS.items()}, "definitions": defs}, indent=1, sort_keys=True))

def crd(content, name, version):
    d = yaml.safe_load(content)
    v = next(v for v in d["spec"]["versions"] if v["name"] == version)
    g = d["spec"]["group"]
    return {"apiVersion": f"{g}/{version}", "kind": d["spec"]["names"]["kind"], "schema": v["schema"]["openAPIV3Schema"]}

crds = []
for f in ["040-Crd-kafka", "043-Crd-kafkatopic", "044-Crd-kafkauser", "045-Crd-kafkanodepool"]:
    crds.append(("strimzi-" + STRIMZI, crd(show(strimzi, STRIMZI, f"packaging/install/cluster-operator/{f}.yaml"), f, "v1")))
for f in ["clusters", "databases", "scheduledbackups"]:
    crds.append(("cloudnative-pg-" + CNPG[1:], crd(show(cnpg, CNPG, f"config/crd/bases/postgresql.cnpg.io_{f}.yaml"), f, "v1")))
for (dirname, meta) in crds:
    (out / dirname).mkdir(exist_ok=True)
    (out / dirname / f"{meta['kind']}.json").write_text(json.dumps(meta, indent=1, sort_keys=True))
# JSON schemas generated from the CRDs by datreeio/CRDs-catalog (already strict)
for path, kind, api in [("k8s.keycloak.org/keycloak_v2alpha1.json", "Keycloak", "k8s.keycloak.org/v2alpha1"),
                        ("k8s.keycloak.org/keycloakrealmimport_v2alpha1.json", "KeycloakRealmImport", "k8s.keycloak.org/v2alpha1"),
                        ("monitoring.coreos.com/servicemonitor_v1.json", "ServiceMonitor", "monitoring.coreos.com/v1"),
                        ("monitoring.coreos.com/podmonitor_v1.json", "PodMonitor", "monitoring.coreos.com/v1"),
                        ("monitoring.coreos.com/prometheusrule_v1.json", "PrometheusRule", "monitoring.coreos.com/v1")]:
    d = path.split("/")[0]
    (out / d).mkdir(exist_ok=True)
    (out / d / f"{kind}.json").write_text(json.dumps({"apiVersion": api, "kind": kind,
        "schema": json.loads(show(datree, "HEAD", path))}, indent=1, sort_keys=True))
(out / "compose-spec.json").write_bytes(show(compose, "HEAD", "schema/compose-spec.json"))
for name, repo, rev in [("STRIMZI-LICENSE", strimzi, STRIMZI), ("CLOUDNATIVE-PG-LICENSE", cnpg, CNPG),
                        ("KUBERNETES-LICENSE", kubectl_validate, "HEAD"), ("CRDS-CATALOG-LICENSE", datree, "HEAD"),
                        ("COMPOSE-SPEC-LICENSE", compose, "HEAD")]:
    (out / name).write_bytes(show(repo, rev, "LICENSE"))
print("vendored into", out)
