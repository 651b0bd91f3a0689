/**
 * Access-control files for tests and {@code make run AUTH=on}: bcrypt users files, signing keys, and a local
 * certificate authority that issues server certificates for TLS.
 */
package io.regfleet.dev.auth;
