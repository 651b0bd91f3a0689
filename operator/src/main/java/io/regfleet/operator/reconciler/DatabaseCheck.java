package io.regfleet.operator.reconciler;

import io.regfleet.control.probe.DatabaseConnectionInfo;
import io.regfleet.control.probe.ServerProbe;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.DatabaseSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * DatabaseReady: the database Secret's keys, the CA Secret's certificate when the spec names one, and the live
 * server's identity, limits and connections by Registry read over the probe's own short connection, verified as the
 * pods will verify it.
 */
@ApplicationScoped
public class DatabaseCheck {
    private static final Logger LOG = Logger.getLogger(DatabaseCheck.class);
    private static final List<String> DATABASE_KEYS = List.of("host", "port", "database", "user", "password");

    /** The verdict, and when it is met what the probe saw of the server and how it reached it. */
    public record Result(Verdict verdict, ServerSnapshot server, DatabaseConnectionInfo connection) {
        static Result unmet(String reason, String message) {
            return new Result(Verdict.unmet(reason, message), null, null);
        }
    }

    private final ServerProbe probe;

    public DatabaseCheck(ServerProbe probe) {
        this.probe = probe;
    }

    public Result check(Registry registry, ReferencedSecrets.Reads secrets) {
        DatabaseSpec spec = registry.getSpec().database;
        SecretCheck secret = SecretCheck.read(secrets.get(spec.secretName), spec.secretName, DATABASE_KEYS);
        if (!secret.ok()) {
            return Result.unmet(secret.failureReason(), secret.failureMessage());
        }
        Optional<String> caSecret = Optional.ofNullable(spec.caSecret).filter(s -> !s.isBlank());
        String rootCert = null;
        if (caSecret.isPresent()) {
            SecretCheck ca = SecretCheck.read(secrets.get(caSecret.get()), caSecret.get(), List.of(PodContract.DB_CA_KEY));
            if (!ca.ok()) {
                return Result.unmet(ca.failureReason(), ca.failureMessage());
            }
            Optional<Path> file = CaCertificateFile.of(ca.values().get(PodContract.DB_CA_KEY));
            if (file.isEmpty()) {
                return Result.unmet(Reasons.SECRET_KEY_MISSING, "Secret " + caSecret.get() + " key " + PodContract.DB_CA_KEY
                        + " holds no PEM certificate");
            }
            rootCert = file.get().toString();
        }
        DatabaseConnectionInfo connection;
        try {
            connection = new DatabaseConnectionInfo(secret.values().get("host"), Integer.parseInt(secret.values().get("port")),
                    secret.values().get("database"), secret.values().get("user"), secret.values().get("password"),
                    spec.sslMode.value(), rootCert);
        } catch (NumberFormatException e) {
            return Result.unmet(Reasons.SECRET_KEY_MISSING, "Secret " + spec.secretName + " key port is not a number");
        }
        try {
            ServerSnapshot server = probe.server(connection);
            return new Result(Verdict.met(Reasons.CONNECTED, "max_connections " + server.limits().maxConnections()
                    + (server.limits().aurora() ? " (Aurora)" : "")), server, connection);
        } catch (SQLException e) {
            LOG.infof("database probe of %s/%s failed: %s", registry.getMetadata().getNamespace(), registry.getMetadata().getName(),
                    e.getMessage());
            LOG.debug("database probe failure", e);
            return new Result(DatabaseProbeFailure.verdict(e, connection, caSecret), null, null);
        }
    }
}
