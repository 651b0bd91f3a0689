package io.regfleet.operator.share;

import io.regfleet.control.share.RegistryShare;
import io.regfleet.control.share.ServerShares;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.operator.api.v1alpha1.ShareStatus;
import io.regfleet.operator.naming.FleetNames;

import java.util.List;

/** A Registry's part of its server as status.share spells it. */
final class ShareStatuses {
    private ShareStatuses() {
    }

    static ShareStatus of(SharedFleet shared) {
        ServerShares server = shared.shares();
        List<RegistryShare> all = server.shares();
        ShareStatus s = new ShareStatus();
        s.server = server.server().id();
        s.available = server.available();
        s.registries = all.size();
        all.stream().filter(r -> r.registry().equals(shared.registry())).findFirst().ifPresent(mine -> {
            s.state = FleetNames.camelCase(mine.state());
            s.weight = mine.weight();
            s.guaranteed = mine.guaranteed();
            s.share = mine.share();
            s.counted = mine.counted();
            s.reserve = mine.reserve();
        });
        return s;
    }

    /** What a restarted operator counts the Registry at: its pods' count and its reserve. */
    static long total(ShareStatus s) {
        return (s.counted == null ? 0 : s.counted) + (s.reserve == null ? 0 : s.reserve);
    }
}
