#!/bin/sh
# Proves the Quarkus Jib configuration of the images on a machine without a registry or a Docker engine: builds
# registry-service's image (or the module given) on an empty stand-in base image read from a tarball, and keeps
# what Jib would hand to `docker load` as an image tarball, then prints its user, ports, environment and entrypoint.
# The stand-in base has no Java in it, so the image is for inspection, not for running: real builds use the
# default base (registry.access.redhat.com/ubi9/openjdk-21-runtime, README.md).
#   deploy/kubernetes/tools/jib-offline-proof.sh [module]
set -eu
module=${1:-registry-service}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/layer/deployments" "$work/layer/tmp"
tar -C "$work/layer" -cf "$work/layer.tar" --owner=0 --group=0 .
digest=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$digest" > "$work/config.json"
echo '[{"Config":"config.json","RepoTags":["stand-in/base:1"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
tar -C "$work" -cf "$work/base.tar" manifest.json config.json layer.tar
out="$(pwd)/$module/target/$module-image.tar"
cat > "$work/docker" <<SH
#!/bin/sh
case "\$1" in load) cat > "$out"; echo "Loaded image" ;; *) echo '{}' ;; esac
SH
chmod +x "$work/docker"
./tandem mvn -B -q -pl "$module" -am package -DskipTests -Dtandem.web.skipNpm=true \
  -Dquarkus.container-image.build=true -Dquarkus.jib.base-jvm-image="tar://$work/base.tar" \
  -Dquarkus.jib.docker-executable-name="$work/docker"
mkdir -p "$work/image" && tar -xf "$out" -C "$work/image"
python3 - "$work/image" <<'PY'
import json, sys, pathlib
d = pathlib.Path(sys.argv[1]); m = json.loads((d / "manifest.json").read_text())[0]
c = json.loads((d / m["Config"]).read_text())["config"]
print("image", m["RepoTags"], len(m["Layers"]), "layers; user", c.get("User"), "ports", list(c.get("ExposedPorts", {})))
print("env", c.get("Env")); print("entrypoint", c.get("Entrypoint"))
PY
echo "image tarball: $out"
