package io.regfleet.registry.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A users file as {@code htpasswd -B} writes it (and distribution and zot read it): {@code name:$2y$...} per line.
 * Only bcrypt entries ({@code $2a$}, {@code $2b$}, {@code $2y$}) are read; others are skipped with a warning.
 */
record Htpasswd(Map<String, String> hashes) {
    private static final Logger LOG = Logger.getLogger(Htpasswd.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    /**
     * Checked against when the user is unknown, so an unknown name costs the same bcrypt round as a wrong password
     * (no user enumeration by timing); cost 5, htpasswd's default.
     */
    private static final String UNKNOWN_USER_HASH = "$2y$05$OkGBWgtMPtm9woPwvVgLzeOHAfGI7/mQVhwQ539xMc23QTI.23xvu";

    Htpasswd {
        hashes = Map.copyOf(hashes);
    }

    static Htpasswd parse(byte[] content) {
        Map<String, String> hashes = new LinkedHashMap<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String hash = colon > 0 ? line.substring(colon + 1) : "";
            if (!BCRYPT.matcher(hash).matches()) {
                LOG.warnf("users file line %d skipped: not name:bcrypt-hash (htpasswd -B)", i + 1);
            } else if (hashes.putIfAbsent(line.substring(0, colon), hash) != null) {
                LOG.warnf("users file line %d skipped: %s is listed twice", i + 1, line.substring(0, colon));
            }
        }
        return new Htpasswd(hashes);
    }

    /** The stored hash when the password is the user's, else null. Always one bcrypt round, known user or not. */
    String verify(String user, String password) {
        String hash = hashes.get(user);
        boolean matches;
        try {
            matches = OpenBSDBCrypt.checkPassword(hash != null ? hash : UNKNOWN_USER_HASH, password.toCharArray());
        } catch (IllegalArgumentException e) {
            matches = false; // e.g. a password bcrypt cannot take
        }
        return matches && hash != null ? hash : null;
    }

    boolean contains(String user) {
        return hashes.containsKey(user);
    }
}
