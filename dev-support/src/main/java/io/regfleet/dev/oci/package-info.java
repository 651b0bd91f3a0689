/**
 * OCI image layouts for tests and local runs, built in Java (random layers of given sizes, configs, manifests,
 * indexes), and skopeo, the real client that copies them.
 */
package io.regfleet.dev.oci;
