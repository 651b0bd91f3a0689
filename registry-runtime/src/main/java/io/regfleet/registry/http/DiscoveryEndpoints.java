package io.regfleet.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.metadata.Page;
import io.regfleet.registry.metadata.Referrer;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.MediaTypes;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.service.DiscoveryService;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** {@code tags/list}, {@code _catalog} and the referrers API. */
@Singleton
class DiscoveryEndpoints {
    private static final String JSON = "application/json";
    private final DiscoveryService discovery;
    private final ObjectMapper mapper;
    private final int maxPageSize;

    DiscoveryEndpoints(DiscoveryService discovery, ObjectMapper mapper, RegistryConfig config) {
        this.discovery = discovery;
        this.mapper = mapper;
        this.maxPageSize = config.listing().maxPageSize();
    }

    Reply tags(ApiRequest request, Endpoint.TagList endpoint) {
        Integer n = pageSize(request);
        Page page = discovery.tags(endpoint.name(), n, request.param("last"));
        ObjectNode body = mapper.createObjectNode().put("name", endpoint.name().value());
        addAll(body.putArray("tags"), page.entries());
        return paged(body, page, "/v2/" + endpoint.name() + "/tags/list", n);
    }

    /** One page of the repositories {@code visible} lets through (with access control: those the caller may pull; null: all). */
    Reply catalog(ApiRequest request, Predicate<String> visible) {
        Integer n = pageSize(request);
        Page page = visibleCatalogPage(n, request.param("last"), visible);
        ObjectNode body = mapper.createObjectNode();
        addAll(body.putArray("repositories"), page.entries());
        return paged(body, page, "/v2/_catalog", n);
    }

    Reply referrers(ApiRequest request, Endpoint.Referrers endpoint) {
        String artifactType = request.param("artifactType");
        List<Referrer> referrers = discovery.referrers(endpoint.name(), Digests.parse(endpoint.digest()), artifactType);
        ObjectNode index = mapper.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Referrer r : referrers) {
            ObjectNode d = manifests.addObject().put("mediaType", r.mediaType()).put("digest", r.digest()).put("size", r.size());
            if (r.artifactType() != null) {
                d.put("artifactType", r.artifactType());
            }
            if (r.annotationsJson() != null) {
                d.set("annotations", readTree(r.annotationsJson()));
            }
        }
        Reply reply = Reply.bytes(200, MediaTypes.OCI_INDEX, bytes(index));
        if (artifactType != null) {
            reply.header("OCI-Filters-Applied", "artifactType");
        }
        return reply;
    }

    /**
     * Up to n names that {@code visible} lets through after {@code last} (null: no filter), read page by page. A page
     * says more only when a visible name follows it, so a client following Link never gets an empty last page and no
     * hidden name appears in a Link.
     */
    private Page visibleCatalogPage(Integer n, String last, Predicate<String> visible) {
        if (visible == null) {
            return discovery.catalog(n, last);
        }
        int want = Math.min(n == null ? maxPageSize : n, maxPageSize);
        if (want == 0) {
            return Page.EMPTY;
        }
        List<String> found = new ArrayList<>();
        for (String cursor = last; ; ) {
            Page scanned = discovery.catalog(Math.min(want + 1 - found.size(), maxPageSize), cursor);
            for (String name : scanned.entries()) {
                if (visible.test(name)) {
                    if (found.size() == want) {
                        return new Page(found, true);
                    }
                    found.add(name);
                }
            }
            if (!scanned.more()) {
                return new Page(found, false);
            }
            cursor = scanned.lastEntry();
        }
    }

    private Reply paged(ObjectNode body, Page page, String path, Integer n) {
        Reply reply = Reply.bytes(200, JSON, bytes(body));
        if (page.more()) {
            String next = path + "?" + (n == null ? "" : "n=" + n + "&") + "last="
                    + URLEncoder.encode(page.lastEntry(), StandardCharsets.UTF_8);
            reply.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return reply;
    }

    private static Integer pageSize(ApiRequest request) {
        String n = request.param("n");
        if (n == null || n.isEmpty()) {
            return null;
        }
        try {
            int value = Integer.parseInt(n);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.PAGINATION_NUMBER_INVALID, "n must be a non-negative integer",
                    Map.of("n", n));
        }
    }

    private static void addAll(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
