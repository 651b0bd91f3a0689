package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

import java.util.List;

/**
 * Access control of the registry API: the Docker/OCI token flow with users from a Secret, rules written here, and
 * optionally tokens of an OpenID Connect issuer. The operator keeps the token signing key in a Secret of its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
    @JsonPropertyDescription("Secret in this namespace whose key htpasswd holds the users and robot accounts (bcrypt entries, as htpasswd -B writes them). Mounted into the pods, which re-read it when it changes: no restart.")
    public String usersSecret;

    @JsonPropertyDescription("Repository patterns anyone may pull without credentials (* within a path segment, ** across them), e.g. public/**.")
    public List<String> anonymousPull;

    @JsonPropertyDescription("Who may do what. A caller's rights are the union of the grants naming it. With no grant and no anonymousPull, every user may do everything and nobody else anything. A change applies without a restart.")
    public List<AccessGrant> access;

    @JsonPropertyDescription("The token endpoint's absolute URL as clients reach it (e.g. https://registry.example.com/token), when an ingress or a proxy fronts the pods. Absent: /token at the address the client used.")
    @Pattern("^https?://")
    public String realm;

    @JsonPropertyDescription("Accept tokens of an OpenID Connect issuer too (as bearer tokens, or as the password at the token endpoint); their groups claim selects the grants' groups.")
    public OidcSpec oidc;

    /** Whether the CR writes any rule (else the runtime's default: every user everything). */
    public boolean hasRules() {
        return (access != null && !access.isEmpty()) || (anonymousPull != null && !anonymousPull.isEmpty());
    }
}
