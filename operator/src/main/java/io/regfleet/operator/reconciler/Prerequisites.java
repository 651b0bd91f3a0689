package io.regfleet.operator.reconciler;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.share.ServerSnapshot;

/**
 * What must hold before anything is deployed for a Registry: its database Secret usable and the database's limits
 * read live, its storage usable (the bucket for its credentials, or the volume claim), and what its access control and
 * TLS name usable. Found by {@link PrerequisiteCheck}.
 *
 * @param database the DatabaseReady condition's verdict
 * @param storage  the StorageReady condition's verdict
 * @param limits   the live database's limits; null unless the database check passed
 * @param secretsVersion digest of the versions of the Secrets the pods read at start, as read for these checks
 * @param accessControl the AccessControlReady condition's verdict
 * @param tls      the TLSReady condition's verdict
 * @param server   what the probe saw of the database server (its identity, connections by Registry); null unless the
 *                 database check passed
 * @param connection how the database was reached (the pooler connects the same way); null unless it passed
 */
public record Prerequisites(Verdict database, Verdict storage, DatabaseLimits limits, String secretsVersion,
                            Verdict accessControl, Verdict tls, ServerSnapshot server, DatabaseConnectionInfo connection) {

    /** One prerequisite, in a condition's terms: met or not, the reason and a message for humans. */
    public record Verdict(boolean met, String reason, String message) {
        static Verdict met(String reason, String message) {
            return new Verdict(true, reason, message);
        }

        static Verdict unmet(String reason, String message) {
            return new Verdict(false, reason, message);
        }
    }

    public boolean met() {
        return database.met() && storage.met() && accessControl.met() && tls.met();
    }
}
