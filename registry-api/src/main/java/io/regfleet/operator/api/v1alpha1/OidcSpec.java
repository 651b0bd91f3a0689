package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An OpenID Connect issuer whose tokens the registry accepts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OidcSpec {
    @JsonPropertyDescription("The issuer URL (the tokens' iss). Its keys come from its discovery document's jwks_uri, unless jwksSecret is given.")
    @Required
    @Pattern("^https://")
    public String issuer;

    @JsonPropertyDescription("The audience (aud) a token must carry. Absent: regfleet.")
    public String audience;

    @JsonPropertyDescription("The claim naming the caller. Absent: sub.")
    public String usernameClaim;

    @JsonPropertyDescription("The claim (a string or a list) whose values select the grants' groups. Absent: groups.")
    public String groupsClaim;

    @JsonPropertyDescription("Secret in this namespace whose key jwks.json holds the issuer's keys (a JWKS), for an issuer the pods cannot reach. Re-read when it changes.")
    public String jwksSecret;
}
