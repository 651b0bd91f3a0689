/** Real parts for local runs and tests. */
package io.regfleet.dev;
