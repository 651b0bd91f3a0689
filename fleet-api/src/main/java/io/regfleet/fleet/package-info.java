/** The records the pod agent serves and the operator reads: one definition for both sides. */
package io.regfleet.fleet;
