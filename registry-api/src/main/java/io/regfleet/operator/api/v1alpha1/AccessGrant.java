package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/** Actions on repositories, given to the users, OIDC groups or every authenticated caller it names (like an RBAC rule). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.users) || has(self.groups) || (has(self.authenticated) && self.authenticated)",
        message = "a grant names users, groups or authenticated: true")
public class AccessGrant {
    @JsonPropertyDescription("Repository patterns: * within a path segment (team/* is team/app, not team/app/web), ** across them (team/**, or ** for every repository).")
    @Required
    @Size(min = 1)
    public List<String> repositories;

    @JsonPropertyDescription("pull, push, delete, or * for all three.")
    @Required
    @Size(min = 1)
    public List<AccessAction> actions;

    @JsonPropertyDescription("Users and robot accounts of the users Secret.")
    public List<String> users;

    @JsonPropertyDescription("Values of the OIDC groups claim.")
    public List<String> groups;

    @JsonPropertyDescription("Every caller with valid credentials: users, robots and OIDC callers.")
    public Boolean authenticated;
}
