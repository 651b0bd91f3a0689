package io.regfleet.operator.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.regfleet.operator.reconciler.RegistryReconciler;

import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The requests the operator made to the mock API server, as the RBAC permissions a real API server checks for them.
 * The tests' own client is told apart by its User-Agent. The mock server has no server-side apply, so the tests run
 * with it off; in production every write of a dependent (its create included) is an apply, a PATCH, and an apply that
 * creates is also authorized as create: a POST or PUT of a dependent's type here needs patch as well.
 */
public final class OperatorRequests {
    /** The User-Agent of the tests' own client (MockClusterTestBase). */
    public static final String TEST_USER_AGENT = "regfleet-tests";

    private OperatorRequests() {
    }

    /** Every request recorded since the last call that the operator made, as the permissions it needs. */
    public static Set<Permission> drain(KubernetesMockServer server) throws InterruptedException {
        Set<Permission> needed = new LinkedHashSet<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (TEST_USER_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            needed.addAll(permissions(request.getMethod(), request.getPath()));
        }
        return needed;
    }

    /** The permissions an API server checks for one request; none for discovery and other non-resource paths. */
    static List<Permission> permissions(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
        int start;
        String group;
        if (s.size() >= 3 && s.get(0).equals("api")) {
            group = "";
            start = 2;
        } else if (s.size() >= 4 && s.get(0).equals("apis")) {
            group = s.get(1);
            start = 3;
        } else {
            return List.of();
        }
        List<String> rest = s.subList(start, s.size());
        boolean namespaced = rest.get(0).equals("namespaces") && rest.size() >= 3;
        List<String> target = namespaced ? rest.subList(2, rest.size()) : rest;
        String resource = target.get(0);
        boolean named = target.size() > 1;
        String full = target.size() > 2 ? resource + "/" + target.get(2) : resource;
        if (resource.equals("customresourcedefinitions") && !method.equals("GET")) {
            return List.of(); // %test.quarkus.operator-sdk.crd.apply: the tests' operator installs its CRD; in production, never
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : Arrays.asList(query.split("&")).contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + method + " " + pathAndQuery);
        };
        List<Permission> needed = new ArrayList<>(List.of(new Permission(group, full, verb)));
        if ((verb.equals("create") || verb.equals("update")) && appliedInProduction(group, full)) {
            needed.add(new Permission(group, full, "patch"));
        }
        return needed;
    }

    /** The workflow's dependents: written with server-side apply in production. */
    private static boolean appliedInProduction(String group, String resource) {
        return Arrays.stream(RegistryReconciler.class.getAnnotation(Workflow.class).dependents())
                .map(Dependent::type).map(OperatorRequests::resourceType)
                .anyMatch(type -> Optional.ofNullable(HasMetadata.getGroup(type)).orElse("").equals(group)
                        && HasMetadata.getPlural(type).equals(resource));
    }

    /** The Kubernetes type a dependent manages, from its generic superclass. */
    @SuppressWarnings("unchecked")
    public static Class<? extends HasMetadata> resourceType(Class<?> dependent) {
        Class<?> c = dependent;
        while (c != null) {
            if (c.getGenericSuperclass() instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> arg
                    && HasMetadata.class.isAssignableFrom(arg)) {
                return (Class<? extends HasMetadata>) arg;
            }
            c = c.getSuperclass();
        }
        throw new IllegalStateException("no resource type for " + dependent);
    }
}
