package io.regfleet.registry.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTPS on the registry API (prefix {@code regfleet.tls}): both files or neither. The management port stays plain
 * HTTP. The files are watched and a rotated certificate is served to new connections without a restart.
 */
@ConfigMapping(prefix = "regfleet.tls")
public interface TlsConfig {

    /** PEM certificate chain, the server's certificate first (a Secret's tls.crt). Env: REGFLEET_TLS_CERT_FILE. */
    Optional<Path> certFile();

    /** PEM private key of that certificate (tls.key). Env: REGFLEET_TLS_KEY_FILE. */
    Optional<Path> keyFile();

    /** How often the two files are looked at for a rotation. Env: REGFLEET_TLS_RELOAD_CHECK. */
    @WithDefault("10S")
    Duration reloadCheck();
}
