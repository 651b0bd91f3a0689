package io.regfleet.registry.tls;

import io.regfleet.registry.config.PemKeys;
import io.regfleet.registry.config.WatchedFile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;

/**
 * The API's certificate and key, from PEM files (a mounted TLS Secret). Read at start (unusable files stop the start,
 * naming them), then looked at every {@code regfleet.tls.reload-check}: a changed pair whose key matches its
 * certificate replaces the old one for new connections ({@code HttpServer.updateSSLOptions}); a pair that does not
 * match (a rotation caught halfway) is not applied, and the old one serves on.
 */
@ApplicationScoped
public class ServerTls {
    private static final Logger LOG = Logger.getLogger(ServerTls.class);
    private final TlsConfig config;
    private final WatchedFile<byte[]> certificate;
    private final WatchedFile<byte[]> key;
    private byte[] appliedCertificate;
    private byte[] appliedKey;

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
        certificate = WatchedFile.load(config.certFile().get(), Duration.ZERO, ServerTls::certificateChain);
        key = WatchedFile.load(config.keyFile().get(), Duration.ZERO, ServerTls::privateKey);
        checkPair(certificate.get(), key.get());
        appliedCertificate = certificate.get();
        appliedKey = key.get();
    }

    public boolean enabled() {
        return certificate != null;
    }

    /** The certificate and key being served. */
    public synchronized PemKeyCertOptions keyCertOptions() {
        return options(appliedCertificate, appliedKey);
    }

    /** Looks at the files every reload-check and hands a rotated pair to the server; returns the timer's id. */
    public long reloadOnChange(Vertx vertx, HttpServer server) {
        return vertx.setPeriodic(config.reloadCheck().toMillis(), tick -> vertx.executeBlocking(this::rotated, false)
                .onSuccess(rotated -> {
                    if (rotated != null) {
                        server.updateSSLOptions(new SSLOptions().setKeyCertOptions(rotated), true)
                                .onSuccess(done -> LOG.infof("TLS certificate reloaded from %s", config.certFile().get()))
                                .onFailure(e -> LOG.warnf("TLS certificate from %s not applied: %s", config.certFile().get(), e.getMessage()));
                    }
                }));
    }

    /** The new pair, or null when nothing changed or the new pair is unusable. */
    private synchronized PemKeyCertOptions rotated() {
        byte[] newCertificate = certificate.get();
        byte[] newKey = key.get();
        if (newCertificate == appliedCertificate && newKey == appliedKey) {
            return null;
        }
        try {
            checkPair(newCertificate, newKey);
        } catch (IllegalStateException e) {
            LOG.warnf("TLS files changed but do not form a pair yet (%s); serving the previous certificate", e.getMessage());
            return null;
        }
        appliedCertificate = newCertificate;
        appliedKey = newKey;
        return options(newCertificate, newKey);
    }

    private static PemKeyCertOptions options(byte[] certificate, byte[] key) {
        return new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate)).setKeyValue(Buffer.buffer(key));
    }

    private static byte[] certificateChain(byte[] pem) throws Exception {
        PemKeys.publicKeys(pem);
        return pem;
    }

    private static byte[] privateKey(byte[] pem) throws Exception {
        PemKeys.keyPair(pem);
        return pem;
    }

    /** The key must be the certificate's: the first certificate's public key is the key's. */
    private static void checkPair(byte[] certificatePem, byte[] keyPem) {
        try {
            PublicKey certified = PemKeys.publicKeys(certificatePem).getFirst();
            KeyPair pair = PemKeys.keyPair(keyPem);
            if (!Arrays.equals(certified.getEncoded(), pair.getPublic().getEncoded())) {
                throw new IllegalStateException("the key is not the certificate's");
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unreadable certificate or key: " + e.getMessage(), e);
        }
    }
}
