# Operator targets; the root Makefile includes this file. Needs JAVA_HOME on a JDK 21+ (the build runs on JDK 25)
# and kubectl (with kustomize v5) for the cluster targets, which act on the current kubeconfig context.
MVNW ?= ./mvnw
KUBECTL ?= kubectl
OPERATOR_MVN_FLAGS ?= -B
SKIP_UNIT_TESTS = -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false

.PHONY: install uninstall deploy undeploy run-operator crds bundle operator-test

## install: apply the Registry CRD (crds/) to the cluster
install:
	$(KUBECTL) apply --server-side -k crds

## uninstall: delete the Registry CRD (and with it every Registry)
uninstall:
	$(KUBECTL) delete --ignore-not-found -k crds

## deploy: CRD, least-privilege RBAC and the operator in regfleet-system (config/default)
deploy:
	$(KUBECTL) apply --server-side -k config/default

## undeploy: remove what deploy applied
undeploy:
	$(KUBECTL) delete --ignore-not-found -k config/default

## run-operator: run the operator locally against the current kubeconfig (no leader election outside prod)
run-operator: install
	$(MVNW) $(OPERATOR_MVN_FLAGS) -q -pl operator -am package -DskipTests
	java -Dquarkus.profile=local -jar operator/target/quarkus-app/quarkus-run.jar

## crds: regenerate crds/ from the Java model (CrdDriftTest in refresh mode)
crds:
	$(MVNW) $(OPERATOR_MVN_FLAGS) -pl operator -am test -Dtest=CrdDriftTest $(SKIP_UNIT_TESTS) -Dregfleet.update-generated=true

## bundle: regenerate crds/ and the OLM bundle in bundle/ (bundle generator output + CSV descriptors)
bundle:
	$(MVNW) $(OPERATOR_MVN_FLAGS) -pl operator -am verify -Dtest=CrdDriftTest -Dit.test=BundleDriftIT $(SKIP_UNIT_TESTS) -Dregfleet.update-generated=true

## operator-test: every operator test, the drift checks of crds/ and bundle/ included
operator-test:
	$(MVNW) $(OPERATOR_MVN_FLAGS) -pl operator -am verify
