package io.regfleet.registry.tls;

import io.regfleet.registry.config.PemKeys;
import io.regfleet.registry.config.WatchedFile;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;

/**
 * The API's certificate and key, from PEM files (a mounted TLS Secret). Read at start (unusable files stop the start,
 * naming them), then looked at every {@code regfleet.tls.reload-check}: a changed pair whose key matches its
 * certificate is served from the next handshake on; a pair that does not match (a rotation caught halfway) is not
 * used, and the old one serves on.
 */
@ApplicationScoped
public class ServerTls {
    private static final Logger LOG = Logger.getLogger(ServerTls.class);
    private final TlsConfig config;
    private final WatchedFile<byte[]> certificate;
    private final WatchedFile<byte[]> key;
    private final CurrentKeyManager keyManager = new CurrentKeyManager();
    private byte[] installedCertificate;
    private byte[] installedKey;

    ServerTls(TlsConfig config) {
        this.config = config;
        if (config.certFile().isPresent() != config.keyFile().isPresent()) {
            throw new IllegalStateException("regfleet.tls.cert-file and regfleet.tls.key-file go together: set both or neither");
        }
        if (config.certFile().isEmpty()) {
            certificate = null;
            key = null;
            return;
        }
        certificate = WatchedFile.load(config.certFile().get(), Duration.ZERO, pem -> pem);
        key = WatchedFile.load(config.keyFile().get(), Duration.ZERO, pem -> pem);
        install(certificate.get(), key.get());
    }

    public boolean enabled() {
        return certificate != null;
    }

    /** What the server's TLS gets its certificate and key from: always the pair installed last. */
    public KeyCertOptions keyCertOptions() {
        return KeyCertOptions.wrap(keyManager);
    }

    /** Looks at the files every reload-check (off the event loop) and installs a rotated pair; returns the timer's id. */
    public long reloadOnChange(Vertx vertx) {
        return vertx.setPeriodic(config.reloadCheck().toMillis(), tick -> vertx.executeBlocking(() -> {
            reloadIfChanged();
            return null;
        }, false));
    }

    private synchronized void reloadIfChanged() {
        byte[] newCertificate = certificate.get();
        byte[] newKey = key.get();
        if (newCertificate == installedCertificate && newKey == installedKey) {
            return;
        }
        try {
            install(newCertificate, newKey);
            LOG.infof("TLS certificate reloaded from %s", config.certFile().get());
        } catch (IllegalStateException e) {
            LOG.warnf("TLS files changed but are not usable yet (%s); serving the previous certificate", e.getMessage());
            installedCertificate = newCertificate; // not retried until a file changes again
            installedKey = newKey;
        }
    }

    /** Installs the pair when the key is the certificate's (the first certificate's public key is the key's). */
    private synchronized void install(byte[] certificatePem, byte[] keyPem) {
        try {
            PublicKey certified = PemKeys.publicKeys(certificatePem).getFirst();
            KeyPair pair = PemKeys.keyPair(keyPem);
            if (!Arrays.equals(certified.getEncoded(), pair.getPublic().getEncoded())) {
                throw new IllegalStateException("the key in " + config.keyFile().get() + " is not the certificate's");
            }
            keyManager.install(pair.getPrivate(), certificatePem);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unreadable certificate or key: " + e.getMessage(), e);
        }
        installedCertificate = certificatePem;
        installedKey = keyPem;
    }
}
