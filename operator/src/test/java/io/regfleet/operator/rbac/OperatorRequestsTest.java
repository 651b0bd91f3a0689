package io.regfleet.operator.rbac;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request's method and path as the permissions an API server checks. A POST or PUT of a type the workflow applies
 * needs patch too: in production it is a server-side apply.
 */
class OperatorRequestsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET    | /api/v1/namespaces/ns/secrets/db                                  | get secrets
            GET    | /api/v1/namespaces/ns/secrets?limit=100                           | list secrets
            GET    | /apis/regfleet.io/v1alpha1/registries?allowWatchBookmarks=true&watch=true | watch regfleet.io/registries
            PATCH  | /apis/regfleet.io/v1alpha1/namespaces/ns/registries/r/status     | patch regfleet.io/registries/status
            POST   | /api/v1/namespaces/ns/events                                      | create events
            DELETE | /apis/batch/v1/namespaces/ns/jobs/j                               | delete batch/jobs
            GET    | /apis/apiextensions.k8s.io/v1/customresourcedefinitions/registries.regfleet.io | get apiextensions.k8s.io/customresourcedefinitions
            POST   | /apis/batch/v1/namespaces/ns/jobs                                 | create batch/jobs, patch batch/jobs
            PUT    | /apis/apps/v1/namespaces/ns/deployments/d                         | update apps/deployments, patch apps/deployments
            POST   | /api/v1/namespaces/ns/serviceaccounts                             | create serviceaccounts, patch serviceaccounts
            GET    | /apis                                                             | -
            GET    | /version                                                          | -
            """)
    void aRequestNeedsThesePermissions(String method, String path, String expected) {
        List<String> needed = OperatorRequests.permissions(method, path).stream().map(Permission::toString).toList();
        assertEquals(expected == null ? List.of() : Arrays.asList(expected.split(", ")), needed);
    }
}
