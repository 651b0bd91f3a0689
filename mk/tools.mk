# Batch modes of the registry runtime (bin/regfleet) against make run's registry: its PostgreSQL on 127.0.0.1:54329
# and its blobs in .regfleet/blobs. make run must be running (it owns that PostgreSQL).
LOCAL_REGISTRY_ENV := QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:54329/regfleet \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  REGFLEET_STORAGE_FILESYSTEM_ROOT=$(CURDIR)/.regfleet/blobs

.PHONY: verify-store import-from

## verify-store: check every manifest and blob of make run's registry (DEEP=1: re-hash every blob too)
verify-store: $(RUNTIME_JAR)
	$(LOCAL_REGISTRY_ENV) bin/regfleet verify $(if $(DEEP),--deep)

## import-from: copy FROM=<registry URL> into make run's registry and prove it (USERNAME=, PASSWORD_FILE= if needed)
import-from: $(RUNTIME_JAR)
	@test -n "$(FROM)" || { echo "usage: make import-from FROM=https://registry.example [USERNAME=u PASSWORD_FILE=f]" >&2; exit 2; }
	$(LOCAL_REGISTRY_ENV) bin/regfleet import --from $(FROM) $(if $(USERNAME),--username $(USERNAME)) \
	  $(if $(PASSWORD_FILE),--password-file $(PASSWORD_FILE))
