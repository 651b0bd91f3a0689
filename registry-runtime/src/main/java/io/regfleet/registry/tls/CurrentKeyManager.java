package io.regfleet.registry.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The server's key manager: every handshake is given the certificate and key installed last. Installing a pair is a
 * reference swap, so a rotation drops no connection (Vert.x 4.5's {@code updateSSLOptions} rebuilds the SSL context
 * and refuses connections accepted while it does). Each pair answers to its own alias, and the previous pair stays
 * resolvable, so a handshake that chose an alias just before a swap still gets a matching key and chain.
 */
final class CurrentKeyManager extends X509ExtendedKeyManager {
    private record Installed(String alias, X509ExtendedKeyManager delegate) {
    }

    private volatile Installed current;
    private volatile Installed previous;
    private int generation;

    /** Serves this chain (server certificate first) and key from the next handshake on. */
    synchronized void install(PrivateKey key, byte[] certificateChainPem) throws GeneralSecurityException {
        X509Certificate[] chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(certificateChainPem)).toArray(X509Certificate[]::new);
        String alias = "server-" + (++generation);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] password = new char[0];
        store.setKeyEntry(alias, key, password, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        previous = current;
        current = new Installed(alias, (X509ExtendedKeyManager) factory.getKeyManagers()[0]);
    }

    private X509ExtendedKeyManager owner(String alias) {
        for (Installed installed : new Installed[]{current, previous}) {
            if (installed != null && installed.alias().equals(alias)) {
                return installed.delegate();
            }
        }
        return current.delegate();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.delegate().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.delegate().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.delegate().getServerAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return owner(alias).getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return owner(alias).getPrivateKey(alias);
    }

    /** A server has no client certificate to offer. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
