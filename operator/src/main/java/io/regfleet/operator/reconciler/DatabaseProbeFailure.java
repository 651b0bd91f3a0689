package io.regfleet.operator.reconciler;

import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;

import javax.net.ssl.SSLException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * A failed database probe in a condition's words: a reason per cause a user can act on and a message that says what to
 * do, never the driver's own text (it names classes and internal paths; the log has it).
 */
final class DatabaseProbeFailure {
    private DatabaseProbeFailure() {
    }

    /**
     * @param caSecret the Secret the CA came from, if the spec names one
     */
    static Verdict verdict(SQLException e, DatabaseConnectionInfo db, Optional<String> caSecret) {
        String server = db.host() + ":" + db.port();
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Optional<String> network = networkCause(e);
        if (network.isPresent()) {
            return Verdict.unmet(Reasons.DATABASE_UNREACHABLE, "cannot connect to " + server + " (" + network.get() + ")");
        }
        if (isTls(e)) {
            return Verdict.unmet(Reasons.TLS_VERIFICATION_FAILED, caSecret
                    .map(ca -> "the certificate of " + server + " is not signed by the CA in Secret " + ca
                            + ", or does not name " + db.host() + " (sslMode " + db.sslMode() + ")")
                    .orElse("cannot verify the certificate of " + server + " (sslMode " + db.sslMode()
                            + "): set spec.database.caSecret to a Secret whose key ca.crt holds the database's CA"));
        }
        if (text(e).contains("does not support ssl")) {
            return Verdict.unmet(Reasons.TLS_UNAVAILABLE, "the database at " + server + " does not offer TLS, which sslMode "
                    + db.sslMode() + " requires");
        }
        if (state.startsWith("28")) {
            return Verdict.unmet(Reasons.AUTHENTICATION_FAILED, "the database at " + server + " refused user " + db.user()
                    + " (wrong password, or no pg_hba.conf entry admits it)");
        }
        if (state.equals("3D000")) {
            return Verdict.unmet(Reasons.DATABASE_NOT_FOUND, "database " + db.database() + " does not exist on " + server);
        }
        if (state.equals("53300")) {
            return Verdict.unmet(Reasons.DATABASE_UNREACHABLE, "the database at " + server
                    + " has no connection free for the operator's probe");
        }
        return Verdict.unmet(Reasons.DATABASE_UNREACHABLE, "cannot connect to " + server
                + (state.isEmpty() ? " (no answer)" : " (SQLSTATE " + state + ")"));
    }

    private static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException || t instanceof FileNotFoundException) {
                return true;
            }
        }
        String text = text(e);
        return text.contains("ssl error") || text.contains("root certificate") || text.contains("could not be verified");
    }

    /** A failure to reach the server at all, in a few words. */
    private static Optional<String> networkCause(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Optional.of("unknown host");
            }
            if (t instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (t instanceof SocketTimeoutException) {
                return Optional.of("timed out");
            }
        }
        return Optional.empty();
    }

    private static String text(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        return all.toString().toLowerCase(Locale.ROOT);
    }
}
