package io.regfleet.registry.auth;

import java.util.regex.Pattern;

/**
 * A glob over repository names: {@code *} matches within one path component (no {@code /}), {@code **} matches any
 * run of characters, slashes included. {@code team/*} matches {@code team/app} but not {@code team/app/web};
 * {@code team/**} matches both; {@code **} matches every repository.
 */
public record RepositoryPattern(String glob, Pattern regex) {

    public static RepositoryPattern of(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("an empty repository pattern");
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new RepositoryPattern(glob, Pattern.compile(regex.toString()));
    }

    public boolean matches(String repository) {
        return regex.matcher(repository).matches();
    }

    @Override
    public String toString() {
        return glob;
    }
}
