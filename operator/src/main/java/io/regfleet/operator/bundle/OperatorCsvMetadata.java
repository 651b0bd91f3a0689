package io.regfleet.operator.bundle;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.SharedCSVMetadata;

/**
 * The OLM bundle's ClusterServiceVersion metadata, in one place for the whole operator (the bundle generator reads it;
 * reconcilers join the bundle by its name). BundleDriftIT compares the generated bundle with bundle/, and checks that
 * alm-examples are the samples of config/samples.
 */
@CSVMetadata(
        bundleName = OperatorCsvMetadata.BUNDLE_NAME,
        name = OperatorCsvMetadata.BUNDLE_NAME,
        displayName = "Regfleet",
        description = """
                Regfleet runs fleets of OCI container registries on PostgreSQL (or Aurora) and S3 or a PVC, and keeps \
                their database connections inside a budget: it reads the live database's limits, gives every registry \
                pod a share that fits (replicas, autoscaler maximum and rollout surge counted), caps the fleet when even \
                the minimum does not fit, and runs schema migrations once per version before new pods serve.""",
        keywords = {"registry", "oci", "container registry", "postgresql", "s3"},
        maturity = "alpha",
        provider = @CSVMetadata.Provider(name = "Regfleet", url = "https://github.com/regfleet/regfleet"),
        links = {
                @CSVMetadata.Link(name = "Source", url = "https://github.com/regfleet/regfleet"),
                @CSVMetadata.Link(name = "Documentation", url = "https://github.com/regfleet/regfleet#the-operator")
        },
        maintainers = @CSVMetadata.Maintainer(name = "Regfleet maintainers", email = "maintainers@regfleet.io"),
        icon = @CSVMetadata.Icon(fileName = "regfleet-icon.svg", mediatype = "image/svg+xml"),
        installModes = {
                @CSVMetadata.InstallMode(type = "OwnNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "SingleNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "MultiNamespace", supported = true),
                @CSVMetadata.InstallMode(type = "AllNamespaces", supported = true)
        },
        annotations = @CSVMetadata.Annotations(
                capabilities = "Seamless Upgrades",
                categories = "Developer Tools",
                repository = "https://github.com/regfleet/regfleet",
                // containerImage and olm.skipRange come from application.properties (the root pom's names and version);
                // the samples of config/samples, kept equal by BundleDriftIT; no image: the operator's version's
                almExamples = """
                        [
                          {
                            "apiVersion": "regfleet.io/v1alpha1",
                            "kind": "Registry",
                            "metadata": {
                              "name": "registry-s3"
                            },
                            "spec": {
                              "autoscaling": {
                                "minReplicas": 2,
                                "maxReplicas": 6,
                                "targetCPUUtilizationPercentage": 70
                              },
                              "resources": {
                                "requests": {
                                  "cpu": "250m",
                                  "memory": "384Mi"
                                },
                                "limits": {
                                  "memory": "768Mi"
                                }
                              },
                              "storage": {
                                "s3": {
                                  "bucket": "regfleet-blobs",
                                  "region": "eu-west-1",
                                  "credentialsSecret": "registry-s3-credentials"
                                }
                              },
                              "database": {
                                "secretName": "registry-db",
                                "sslMode": "verify-full",
                                "caSecret": "registry-db-ca",
                                "reservedConnections": 5,
                                "readReplicas": [
                                  {
                                    "host": "registry-db-standby-1.example.internal"
                                  }
                                ],
                                "replicaMaxLag": "2s"
                              },
                              "connectionsPerPod": {
                                "minimum": 2,
                                "maximum": 20
                              },
                              "workers": {
                                "minimum": 8,
                                "maximum": 200
                              }
                            }
                          },
                          {
                            "apiVersion": "regfleet.io/v1alpha1",
                            "kind": "Registry",
                            "metadata": {
                              "name": "registry-pvc"
                            },
                            "spec": {
                              "replicas": 2,
                              "storage": {
                                "filesystem": {
                                  "claimName": "registry-blobs"
                                }
                              },
                              "database": {
                                "secretName": "registry-db",
                                "sslMode": "require"
                              },
                              "connectionsPerPod": {
                                "minimum": 2,
                                "maximum": 10
                              }
                            }
                          }
                        ]
                        """),
        minKubeVersion = "1.27.0")
public class OperatorCsvMetadata implements SharedCSVMetadata {
    public static final String BUNDLE_NAME = "regfleet-operator";
}
