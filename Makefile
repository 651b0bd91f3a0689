# Regfleet. JAVA_HOME: yours if it is a JDK 21+, else the newest JDK 21+ under /usr/lib/jvm (see bin/java-home).
SHELL := /bin/bash
export JAVA_HOME := $(shell bin/java-home)
MVN := ./mvnw -B -ntp
RUNTIME_JAR := registry-runtime/target/quarkus-app/quarkus-run.jar
DEV_CP := dev-support/target/classpath.txt

.PHONY: help build test run clean bench

help:
	@echo "make run      registry on 127.0.0.1:5000 with an embedded PostgreSQL (data in .regfleet/), Ctrl-C stops"
	@echo "make test     the whole test suite (unit, API, contract, e2e) against real PostgreSQL, S3Proxy and skopeo"
	@echo "make build    build every module (no tests)"
	@echo "make bench    benchmark our registry side by side with the peer (CNCF distribution), see bench/"

build:
	$(MVN) package -DskipTests

test:
	$(MVN) verify

$(RUNTIME_JAR) $(DEV_CP):
	$(MVN) -q package -DskipTests -pl registry-runtime,dev-support -am

run: $(RUNTIME_JAR) $(DEV_CP)
	$(JAVA_HOME)/bin/java -cp "dev-support/target/classes:$$(cat $(DEV_CP))" io.regfleet.dev.LocalRegistry

bench: $(RUNTIME_JAR) $(DEV_CP)
	bench/side-by-side.sh

clean:
	$(MVN) -q clean

-include mk/*.mk
