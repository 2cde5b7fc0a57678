#!/bin/sh
# Sets Apicurio Registry's global rules and registers every event schema in $SCHEMAS_DIR (default /schemas) (one file per schema,
# named <namespace>.<name>.avsc, each with its named types inlined: what the services' serde looks up by
# group = namespace and artifact id = name). Safe to run again: FIND_OR_CREATE_VERSION adds a version only
# when the content differs, and the BACKWARD rule refuses a schema that would break consumers.
# Runs as Job tandem-schema-registration (schema-registration.yaml) with client tandem-schema-admin (sr-admin).
set -eu
api="${APICURIO_URL:?}/apis/registry/v3"
# docker-compose's Apicurio is reachable only on the stack's own network and asks for no token: TOKEN_ENDPOINT unset
auth=""
if [ -n "${TOKEN_ENDPOINT:-}" ]; then
  token=$(curl -sSf --max-time 20 "$TOKEN_ENDPOINT" -d grant_type=client_credentials \
    --data-urlencode "client_id=${CLIENT_ID:?}" --data-urlencode "client_secret=${CLIENT_SECRET:?}" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
  [ -n "$token" ] || { echo "no access token from ${TOKEN_ENDPOINT}" >&2; exit 1; }
  auth="Authorization: Bearer $token"
fi
answer=$(mktemp)
trap 'rm -f "$answer"' EXIT
call() { # method url [body]: prints the HTTP status; the answer's body goes to $answer
  if [ $# -eq 3 ]; then
    curl -sS --max-time 20 -o "$answer" -w '%{http_code}' -X "$1" "$2" -H "${auth:-X-Tandem-Client: schema-registration}" \
      -H 'Content-Type: application/json' --data-binary "$3"
  else
    curl -sS --max-time 20 -o "$answer" -w '%{http_code}' -X "$1" "$2" -H "${auth:-X-Tandem-Client: schema-registration}"
  fi
}
rule() { # type config
  status=$(call PUT "$api/admin/rules/$1" "{\"config\":\"$2\"}")
  if [ "$status" = 404 ]; then status=$(call POST "$api/admin/rules" "{\"ruleType\":\"$1\",\"config\":\"$2\"}"); fi
  case "$status" in 2*) echo "rule $1=$2" ;; *) echo "rule $1 answered $status: $(cat "$answer")" >&2; exit 1 ;; esac
}
rule VALIDITY FULL
rule COMPATIBILITY BACKWARD
count=0
for f in "${SCHEMAS_DIR:-/schemas}"/*.avsc; do
  full=$(basename "$f" .avsc); group=${full%.*}; name=${full##*.}
  # the schema as a JSON string: escape backslashes and quotes, join the lines
  content=$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' "$f" | tr -d '\n')
  body="{\"artifactId\":\"$name\",\"artifactType\":\"AVRO\",\"firstVersion\":{\"content\":{\"content\":\"$content\",\"contentType\":\"application/json\"}}}"
  status=$(call POST "$api/groups/$group/artifacts?ifExists=FIND_OR_CREATE_VERSION" "$body")
  case "$status" in 2*) count=$((count + 1)) ;; *) echo "$full answered $status: $(cat "$answer")" >&2; exit 1 ;; esac
done
echo "registered $count schemas"
