package io.regfleet.registry.auth;

import io.regfleet.registry.config.PemKeys;
import io.quarkus.runtime.Startup;
import io.regfleet.registry.config.WatchedFile;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Access control of the registry API, built at start from {@link AuthConfig}: every configured file is read now (a
 * file that cannot be used stops the start with its name and the reason) and re-read when it changes. Off, it lets
 * everything through. Nothing here touches the database.
 */
@Singleton
@Startup
public class AccessControl {
    private static final Logger LOG = Logger.getLogger(AccessControl.class);
    private final AuthConfig config;
    private final Gatekeeper gate;
    private final TokenDesk desk;

    AccessControl(AuthConfig config) {
        this.config = config;
        if (!config.enabled()) {
            gate = null;
            desk = null;
            return;
        }
        Duration check = config.reloadCheck();
        Supplier<AccessRules> rules = config.rulesFile()
                .map(file -> watch(file, check, AccessRulesFile::parse))
                .orElse(() -> AccessRules.EVERY_USER_EVERYTHING);
        KeyRing keys = new KeyRing(signingKey(config), verifyKeys(config));
        OidcVerifier oidc = config.oidc().issuer().isPresent() ? new OidcVerifier(config.oidc(), check) : null;
        TokenVerifier verifier = new TokenVerifier(config.issuer().orElse(config.service()), config.service(), keys);
        UserDirectory users = new UserDirectory(config.usersFile()
                .map(file -> watch(file, check, Htpasswd::parse))
                .orElse(() -> new Htpasswd(java.util.Map.of())));
        gate = new Gatekeeper(verifier, oidc, rules, config.cacheSize());
        desk = keys.signingKey().isPresent() ? new TokenDesk(keys, verifier, users, oidc, rules, config) : null;
        LOG.infof("access control on: service %s, users %s, rules %s%s%s", config.service(),
                config.usersFile().map(Path::toString).orElse("(none)"),
                config.rulesFile().map(Path::toString).orElse("(none: every user may do everything)"),
                oidc == null ? "" : ", OIDC issuer " + oidc.issuer(),
                desk == null ? ", verify only (no signing key: no token endpoint)" : "");
    }

    public boolean enabled() {
        return gate != null;
    }

    /** The service name (the challenge's {@code service}, the tokens' audience). */
    public String service() {
        return config.service();
    }

    /** The configured token endpoint URL, if any (else the server's own {@code /token}). */
    public Optional<String> realm() {
        return config.realm();
    }

    /** The token endpoint, where this replica has a signing key. */
    public Optional<TokenDesk> tokenDesk() {
        return Optional.ofNullable(desk);
    }

    /** Whether the request's credentials ({@code Authorization} header, may be null) cover every access needed. */
    public Decision authorize(String authorization, List<Access> needed) {
        return gate.authorize(authorization, needed);
    }

    /**
     * {@link #authorize} from memory alone (an event-loop thread may ask): null when the token was not verified before
     * (verifying it is work for a worker thread).
     */
    public Decision authorizeFromMemory(String authorization, List<Access> needed) {
        return gate.authorizeFromMemory(authorization, needed);
    }

    /** Whether an admitted caller may also do {@code access} (e.g. pull the source of a cross-repository mount). */
    public boolean grants(Caller caller, Access access) {
        return gate.grants(caller, access);
    }

    /** The repositories an admitted caller may pull. */
    public Predicate<String> pullable(Caller caller) {
        return gate.pullable(caller);
    }

    private static <T> Supplier<T> watch(Path file, Duration check, WatchedFile.Parser<T> parser) {
        return WatchedFile.load(file, check, parser)::get;
    }

    private static Supplier<SigningKey> signingKey(AuthConfig config) {
        if (config.signingKeyFile().isPresent()) {
            return watch(config.signingKeyFile().get(), config.reloadCheck(), SigningKey::fromPem);
        }
        if (config.verifyKeyFile().isPresent()) {
            return null; // verifies only
        }
        LOG.warn("no regfleet.auth.signing-key-file: tokens are signed with a key generated now, which no other "
                + "replica and no restart of this one will accept");
        SigningKey generated = SigningKey.generate();
        return () -> generated;
    }

    private static Supplier<List<SigningKey.VerificationKey>> verifyKeys(AuthConfig config) {
        return config.verifyKeyFile()
                .map(file -> watch(file, config.reloadCheck(),
                        content -> PemKeys.publicKeys(content).stream().map(SigningKey.VerificationKey::of).toList()))
                .orElse(List::of);
    }
}
