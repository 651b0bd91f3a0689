package io.regfleet.registry.tools.importer;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client every request to the source goes through, and how long an answer may take to start. */
record SourceHttp(HttpClient client, Duration timeout) {
}
