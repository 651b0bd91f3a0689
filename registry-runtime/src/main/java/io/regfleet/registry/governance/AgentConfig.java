package io.regfleet.registry.governance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The pod agent on the management port (prefix {@code regfleet.agent}). */
@ConfigMapping(prefix = "regfleet.agent")
public interface AgentConfig {

    /** File holding the bearer token (a mounted Secret); absent: the agent is disabled. Env: REGFLEET_AGENT_TOKEN_FILE. */
    Optional<Path> tokenFile();

    /** The window that peaks, means, percentiles and rates in the usage report cover. Env: REGFLEET_AGENT_WINDOW. */
    @WithDefault("10S")
    Duration window();
}
