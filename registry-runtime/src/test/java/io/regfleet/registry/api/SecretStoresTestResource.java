package io.regfleet.registry.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.S3ProxyServer;
import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.S3TestResource;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A database role whose password is unlike any other string of the test, and blobs on S3Proxy (signed with its
 * secret key): the secrets a log must never show. Started after {@link PostgresTestResource}, whose server it uses.
 */
public class SecretStoresTestResource implements QuarkusTestResourceLifecycleManager {
    private static final String DB_PASSWORD = "db-secret-" + UUID.randomUUID();
    private static final String ROLE = "logged_" + UUID.randomUUID().toString().substring(0, 8);
    private S3ProxyServer s3proxy;

    @Override
    public Map<String, String> start() {
        PostgresTestResource.server.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
        PostgresTestResource.server.execute("postgres", "CREATE DATABASE " + ROLE + " OWNER " + ROLE);
        s3proxy = S3ProxyServer.start();
        s3proxy.createBucket("logged");
        Map<String, String> settings = new HashMap<>(S3TestResource.storageSettings(s3proxy, "logged"));
        settings.put("quarkus.datasource.jdbc.url", PostgresTestResource.server.jdbcUrl(ROLE));
        settings.put("quarkus.datasource.username", ROLE);
        settings.put("quarkus.datasource.password", DB_PASSWORD);
        return settings;
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public void stop() {
        if (s3proxy != null) {
            s3proxy.close();
        }
    }
}
