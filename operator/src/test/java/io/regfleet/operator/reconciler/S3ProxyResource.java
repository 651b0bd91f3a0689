package io.regfleet.operator.reconciler;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.regfleet.dev.S3ProxyServer;

import java.util.Map;
import java.util.Optional;

/** A real S3 endpoint for StorageReady: S3Proxy as a child process, with the bucket {@code images}. */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {
    public static final String BUCKET = "images";
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.withBucket(BUCKET);
        return Map.of("test.s3.endpoint", server.endpoint().toString(),
                "test.s3.access-key", server.accessKey(),
                "test.s3.secret-key", server.secretKey());
    }

    @Override
    public void stop() {
        Optional.ofNullable(server).ifPresent(S3ProxyServer::close);
    }
}
