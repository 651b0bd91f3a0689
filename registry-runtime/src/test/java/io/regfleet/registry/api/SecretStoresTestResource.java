package io.regfleet.registry.api;

import io.regfleet.registry.PostgresTestResource;
import io.regfleet.registry.S3TestResource;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Blobs on S3Proxy (signed with its secret key), and a database role whose password is unlike any other string of the
 * test: the secrets a log must never show. Started after {@link PostgresTestResource}, whose server it uses.
 */
public class SecretStoresTestResource extends S3TestResource {
    private static final String DB_PASSWORD = "db-secret-" + UUID.randomUUID();
    private static final String ROLE = "logged_" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> start() {
        PostgresTestResource.server.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
        PostgresTestResource.server.execute("postgres", "CREATE DATABASE " + ROLE + " OWNER " + ROLE);
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("quarkus.datasource.jdbc.url", PostgresTestResource.server.jdbcUrl(ROLE));
        settings.put("quarkus.datasource.username", ROLE);
        settings.put("quarkus.datasource.password", DB_PASSWORD);
        return settings;
    }
}
