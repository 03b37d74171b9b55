#!/bin/sh
# One-shot (temporalio/admin-tools): the namespace Trainyard uses and its custom search attributes, read from
# scripts/search-attributes.json (one "Name": "Type" pair per line), the list npm start and npm test register.
set -eu
ns=${TEMPORAL_NAMESPACE:-default}
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do sleep 1; done
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 \
  || temporal operator namespace create --namespace "$ns" --retention 72h
existing=$(temporal operator search-attribute list --namespace "$ns")
sed -n 's/^ *"\([A-Za-z0-9_]*\)": *"\([A-Za-z]*\)".*/\1 \2/p' /trainyard/search-attributes.json | while read -r name type; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
  fi
done
echo "namespace $ns is ready"
