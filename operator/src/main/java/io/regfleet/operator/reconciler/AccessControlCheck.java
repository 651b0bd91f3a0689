package io.regfleet.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.AccessGrant;
import io.regfleet.operator.api.v1alpha1.AuthSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryConditions.Reasons;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.reconciler.Prerequisites.Verdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * AccessControlReady: what spec.auth names is usable as the runtime will read it, so that a pod never starts on a file
 * it refuses. The users Secret's htpasswd has bcrypt entries, the operator's token key Secret (once made, and after
 * an admin's rotation) holds a private key and public keys, an OIDC JWKS Secret holds keys.
 */
final class AccessControlCheck {
    /** What the runtime reads of a users file: name:bcrypt-hash ($2a$, $2b$, $2y$); other lines it skips. */
    private static final Pattern BCRYPT_LINE = Pattern.compile("[^:\\s]+:\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AccessControlCheck() {
    }

    static Verdict check(Registry registry, ReferencedSecrets.Reads secrets) {
        AuthSpec auth = registry.getSpec().auth;
        if (auth == null) {
            return Verdict.met(Reasons.ACCESS_CONTROL_OFF, "no spec.auth: anyone who can reach the registry API may pull, push and delete");
        }
        List<String> found = new ArrayList<>();
        Set<String> users = new TreeSet<>();
        if (present(auth.usersSecret)) {
            SecretCheck secret = SecretCheck.read(secrets.get(auth.usersSecret), auth.usersSecret, List.of(PodContract.USERS_KEY));
            if (!secret.ok()) {
                return Verdict.unmet(secret.failureReason(), secret.failureMessage());
            }
            List<Integer> skipped = new ArrayList<>();
            String[] lines = secret.values().get(PodContract.USERS_KEY).split("\r?\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].trim();
                if (BCRYPT_LINE.matcher(line).matches()) {
                    users.add(line.substring(0, line.indexOf(':')));
                } else if (!line.isEmpty() && !line.startsWith("#")) {
                    skipped.add(i + 1);
                }
            }
            if (users.isEmpty()) {
                return Verdict.unmet(Reasons.USERS_UNPARSABLE, "Secret " + auth.usersSecret + " key " + PodContract.USERS_KEY
                        + " holds no user as name:bcrypt-hash (htpasswd -B)"
                        + (skipped.isEmpty() ? "" : ": " + lines(skipped) + " not in that form"));
            }
            found.add(users.size() + " users in Secret " + auth.usersSecret
                    + (skipped.isEmpty() ? "" : " (" + lines(skipped) + " skipped: not name:bcrypt-hash)"));
        }
        String tokenKey = FleetNames.tokenKeySecret(registry);
        if (secrets.get(tokenKey).isPresent()) { // made by the workflow once the prerequisites are met
            SecretCheck keys = SecretCheck.read(secrets.get(tokenKey), tokenKey,
                    List.of(PodContract.SIGNING_KEY_KEY, PodContract.VERIFY_KEYS_KEY));
            if (!keys.ok()) {
                return Verdict.unmet(keys.failureReason(), keys.failureMessage());
            }
            if (PemContent.of(keys.values().get(PodContract.SIGNING_KEY_KEY)).privateKey().isEmpty()) {
                return Verdict.unmet(Reasons.SIGNING_KEY_UNPARSABLE, "Secret " + tokenKey + " key " + PodContract.SIGNING_KEY_KEY
                        + " holds no PEM private key (PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
            }
            if (PemContent.of(keys.values().get(PodContract.VERIFY_KEYS_KEY)).publicKeys().isEmpty()) {
                return Verdict.unmet(Reasons.SIGNING_KEY_UNPARSABLE, "Secret " + tokenKey + " key " + PodContract.VERIFY_KEYS_KEY
                        + " holds no PEM public key (PUBLIC KEY or CERTIFICATE)");
            }
        }
        if (auth.oidc != null) {
            if (present(auth.oidc.jwksSecret)) {
                SecretCheck jwks = SecretCheck.read(secrets.get(auth.oidc.jwksSecret), auth.oidc.jwksSecret, List.of(PodContract.JWKS_KEY));
                if (!jwks.ok()) {
                    return Verdict.unmet(jwks.failureReason(), jwks.failureMessage());
                }
                if (!isJwks(jwks.values().get(PodContract.JWKS_KEY))) {
                    return Verdict.unmet(Reasons.JWKS_UNPARSABLE, "Secret " + auth.oidc.jwksSecret + " key " + PodContract.JWKS_KEY
                            + " is not a JWKS (a JSON object whose \"keys\" list holds keys with a \"kty\")");
                }
            }
            found.add("OIDC issuer " + auth.oidc.issuer);
        }
        found.add(grants(auth, users));
        return Verdict.met(Reasons.ACCESS_CONTROL_CONFIGURED, "access control on: " + String.join("; ", found));
    }

    /** How many grants, and the users they name that the users Secret does not have (a typo grants nothing). */
    private static String grants(AuthSpec auth, Set<String> users) {
        if (!auth.hasRules()) {
            return "no access rules: every user may do everything";
        }
        List<AccessGrant> grants = auth.access == null ? List.of() : auth.access;
        Set<String> unknown = new TreeSet<>();
        grants.stream().filter(g -> g.users != null).flatMap(g -> g.users.stream()).filter(u -> !users.contains(u))
                .forEach(unknown::add);
        return grants.size() + " grants" + (auth.anonymousPull == null || auth.anonymousPull.isEmpty() ? ""
                : ", anonymous pull of " + String.join(", ", auth.anonymousPull))
                + (unknown.isEmpty() || !present(auth.usersSecret) ? ""
                : "; users granted but not in Secret " + auth.usersSecret + ": " + String.join(", ", unknown));
    }

    private static boolean isJwks(String text) {
        try {
            JsonNode keys = JSON.readTree(text).path("keys");
            if (!keys.isArray() || keys.isEmpty()) {
                return false;
            }
            for (JsonNode key : keys) {
                if (!key.path("kty").isTextual()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** "line 3", "lines 1, 4, 9 and 2 more" */
    private static String lines(List<Integer> numbers) {
        List<String> shown = numbers.stream().limit(5).map(String::valueOf).toList();
        return (numbers.size() == 1 ? "line " : "lines ") + String.join(", ", shown)
                + (numbers.size() > 5 ? " and " + (numbers.size() - 5) + " more" : "");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
