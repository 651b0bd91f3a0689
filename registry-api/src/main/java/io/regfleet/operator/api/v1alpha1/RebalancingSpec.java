package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Whether the operator shares the budget by demand, and how much of it every pod keeps regardless. */
public class RebalancingSpec {
    @JsonPropertyDescription("Share the connection budget among the pods by their demand while they run. When false, every pod keeps the even split.")
    @Default("true")
    public Boolean enabled = true;

    @JsonPropertyDescription("The share of the even split every pod slot keeps as its floor; the rest is shared by demand.")
    @Min(1)
    @Max(100)
    @Default("50")
    public Integer floorPercent = 50;

    /** The floor share the budget uses: the whole split when rebalancing is off. */
    public int effectiveFloorPercent() {
        return Boolean.FALSE.equals(enabled) ? 100 : floorPercent == null ? 50 : floorPercent;
    }

    public boolean active() {
        return !Boolean.FALSE.equals(enabled);
    }
}
