# Regfleet. JAVA_HOME: yours if it is a JDK 21+, else the newest JDK 21+ under /usr/lib/jvm (see bin/java-home).
SHELL := /bin/bash
export JAVA_HOME := $(shell bin/java-home)
MVN := ./mvnw -B -ntp
RUNTIME_JAR := registry-runtime/target/quarkus-app/quarkus-run.jar
DEV_CP := dev-support/target/classpath.txt
FLEET_CP := local-fleet/target/classpath.txt
# make run REPLICAS=3 [REGISTRIES=2] [MAX_REPLICAS=4] [INTERVAL=2s] [DB_LATENCY=2ms] [READ_REPLICAS=1]: local fleets behind 127.0.0.1:5000, 5001, ...
# make run AUTH=on [TLS=on]: the single registry with access control (and TLS)
INTERVAL ?= 10s

.PHONY: help build test run clean bench

help:
	@echo "make run      registry on 127.0.0.1:5000 with an embedded PostgreSQL (data in .regfleet/), Ctrl-C stops"
	@echo "make run AUTH=on [TLS=on]"
	@echo "             the same with access control (user admin, password in .regfleet/admin-password) and TLS (CA in .regfleet/tls/ca/)"
	@echo "make run REPLICAS=3 [REGISTRIES=2] [MAX_REPLICAS=4] [INTERVAL=2s] [DB_LATENCY=2ms] [READ_REPLICAS=1]"
	@echo "             rebalanced local fleets on one PostgreSQL behind 127.0.0.1:5000, 5001, ... (data in .regfleet/fleet/),"
	@echo "             sharing its connections; allocation tables every INTERVAL, drawn with their history on http://127.0.0.1:5080/"
	@echo "make test     the whole test suite (unit, API, contract, e2e, images) against real PostgreSQL, S3Proxy, skopeo and runc"
	@echo "make build    build every module (no tests)"
	@echo "make bench    benchmark our registry side by side with the peer (CNCF distribution), see bench/"
	@awk '/^## [a-z-]+: /{sub(/^## /, ""); i = index($$0, ": "); printf "make %-14s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2)}' mk/*.mk

build:
	$(MVN) package -DskipTests

# two modules at once: the runtime's and the operator's tests overlap (e2e depends on both and runs alone)
test:
	$(MVN) -T 2 verify

$(RUNTIME_JAR) $(DEV_CP):
	$(MVN) -q package -DskipTests -pl registry-runtime,dev-support -am

$(FLEET_CP):
	$(MVN) -q package -DskipTests -pl local-fleet -am

ifeq ($(filter-out 0 1,$(REPLICAS) $(REGISTRIES))$(filter-out 0,$(READ_REPLICAS)),)
run: $(RUNTIME_JAR) $(DEV_CP)
	$(JAVA_HOME)/bin/java $(if $(filter on,$(AUTH)),-Dregfleet.run.auth=on) $(if $(filter on,$(TLS)),-Dregfleet.run.tls=on) \
	  -cp "dev-support/target/classes:$$(cat $(DEV_CP))" io.regfleet.dev.LocalRegistry
else
run: $(RUNTIME_JAR) $(FLEET_CP)
	$(JAVA_HOME)/bin/java -Dregfleet.replicas=$(or $(REPLICAS),1) -Dregfleet.registries=$(or $(REGISTRIES),1) -Dregfleet.interval=$(INTERVAL) \
	  $(if $(MAX_REPLICAS),-Dregfleet.max-replicas=$(MAX_REPLICAS)) $(if $(DB_LATENCY),-Dregfleet.database-latency=$(DB_LATENCY)) \
	  $(if $(READ_REPLICAS),-Dregfleet.read-replicas=$(READ_REPLICAS)) \
	  -cp "local-fleet/target/classes:$$(cat $(FLEET_CP))" io.regfleet.fleet.local.LocalFleetMain
endif

bench: $(RUNTIME_JAR) $(DEV_CP)
	bench/side-by-side.sh

clean:
	$(MVN) -q clean

-include mk/*.mk
