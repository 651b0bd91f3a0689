package io.regfleet.registry.metadata.postgres;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.governance.GovernedPostgresDriver;
import io.regfleet.registry.governance.ListenerConnection;
import io.regfleet.registry.metadata.cache.CacheConfig;
import io.regfleet.registry.metadata.postgres.replica.ReadReplicas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Properties;

/**
 * Runs the pod's {@link ChangeListener} while the registry serves with its cache on or read replicas: through the governed driver
 * (paced, with the pool's session settings), as the pool's user, named {@code <the pool's name>/listen} in
 * {@code pg_stat_activity}.
 */
@ApplicationScoped
class ChangeListening {
    private final ChangeListener listener;

    ChangeListening(Database db, CacheConfig cache, ReadReplicas replicas, ListenerConnection reserve,
                    @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                    @ConfigProperty(name = "quarkus.datasource.username") String username,
                    @ConfigProperty(name = "quarkus.datasource.password") String password,
                    @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.ApplicationName")
                    String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", applicationName + "/listen");
        properties.setProperty("tcpKeepAlive", "true");
        GovernedPostgresDriver driver = new GovernedPostgresDriver();
        listener = new ChangeListener(db, replicas.active() ? replicas.writes() : null, () -> driver.connect(url, properties),
                reserve, cache.settings().heartbeat());
    }

    void start(@Observes StartupEvent event, CacheConfig cache, ReadReplicas replicas,
               io.regfleet.registry.config.RegistryConfig registry) {
        if ((cache.enabled() || replicas.active()) && "serve".equals(registry.mode())) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        listener.stop();
    }
}
