package io.regfleet.registry.auth;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import java.security.Key;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys of our own tokens: the signing key (absent on a verify-only replica) and any further verification keys,
 * each read afresh from its watched file. A token names its key by {@code kid}; a token whose key is not here does not
 * verify.
 */
final class KeyRing implements VerificationKeyResolver {
    private final Supplier<SigningKey> signing;
    private final Supplier<List<SigningKey.VerificationKey>> verifyOnly;

    KeyRing(Supplier<SigningKey> signing, Supplier<List<SigningKey.VerificationKey>> verifyOnly) {
        this.signing = signing;
        this.verifyOnly = verifyOnly;
    }

    Optional<SigningKey> signingKey() {
        return Optional.ofNullable(signing).map(Supplier::get);
    }

    @Override
    public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nestingContext) throws UnresolvableKeyException {
        String keyId = jws.getKeyIdHeaderValue();
        Optional<SigningKey.VerificationKey> own = signingKey().map(SigningKey::verification).filter(k -> k.keyId().equals(keyId));
        return own.or(() -> verifyOnly.get().stream().filter(k -> k.keyId().equals(keyId)).findFirst())
                .map(SigningKey.VerificationKey::key)
                .orElseThrow(() -> new UnresolvableKeyException("no key with this kid"));
    }
}
