package io.regfleet.registry.oci;

import java.util.regex.Pattern;

/**
 * A glob over repository names and tags, as access rules and retention rules write them: {@code *} matches within
 * one path component (no {@code /}), {@code **} any run of characters, slashes included, {@code ?} one character
 * but {@code /}; everything else matches itself. {@code team/*} matches {@code team/app} but not
 * {@code team/app/web}; {@code team/**} matches both; {@code **} matches every name.
 */
public record NameGlob(String glob, Pattern regex) {

    public static NameGlob of(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("an empty name pattern");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new NameGlob(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
