package io.regfleet.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.S3ProxyServer;

import java.util.Map;
import java.util.Optional;

/**
 * The registry's blobs on S3Proxy (a child process) instead of a folder. Started after {@link PostgresTestResource}
 * ({@link #order()}), whose filesystem storage setting it overrides.
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {
    private static final String BUCKET = "regfleet-test";
    private S3ProxyServer s3proxy;

    @Override
    public Map<String, String> start() {
        s3proxy = S3ProxyServer.withBucket(BUCKET);
        return storageSettings(s3proxy, BUCKET);
    }

    /** The registry's storage settings for a bucket of S3Proxy. */
    public static Map<String, String> storageSettings(S3ProxyServer s3proxy, String bucket) {
        return Map.of(
                "regfleet.storage.driver", "s3",
                "regfleet.storage.s3.bucket", bucket,
                "regfleet.storage.s3.endpoint", s3proxy.endpoint().toString(),
                "regfleet.storage.s3.region", s3proxy.region(),
                "regfleet.storage.s3.path-style", "true",
                "regfleet.storage.s3.access-key-id", s3proxy.accessKey(),
                "regfleet.storage.s3.secret-access-key", s3proxy.secretKey());
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public void stop() {
        Optional.ofNullable(s3proxy).ifPresent(S3ProxyServer::close);
    }
}
